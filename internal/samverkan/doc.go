// Package samverkan is the domain core of the Samverkan API: municipalities and police areas,
// cooperation agreements with priority areas and action plans, promise periods with promises
// and activities, forums with meetings, and follow-up reports.
//
// It knows nothing of HTTP or SQL. The types guard their invariants, lifecycle transitions are
// methods that refuse illegal moves, and Service holds the rules for who may change what.
// Storage implements Store (package store); transport calls Service (package httpapi).
package samverkan
