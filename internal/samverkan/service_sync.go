package samverkan

import "context"

// DataVersion is the newest change of all stored data; public caches are validated against it.
func (s *Service) DataVersion(ctx context.Context) (DataVersion, error) {
	return s.store.DataVersion(ctx)
}

// ListDeletions lists tombstones. Anonymous callers see only deletions of public material, so
// that a tombstone never reveals a draft.
func (s *Service) ListDeletions(ctx context.Context, p *Principal, f DeletionFilter) (Page[Deletion], error) {
	pageLimit(&f.PageRequest)
	f.PublicOnly = p == nil || p.Role != RoleAdmin
	return s.store.ListDeletions(ctx, f)
}

// ActivityStats counts activities for dashboards; drafts count only for their parties.
func (s *Service) ActivityStats(ctx context.Context, p *Principal, f StatsFilter) (*ActivityStats, error) {
	f.Drafts = draftScopeOf(p)
	return s.store.ActivityStats(ctx, f)
}
