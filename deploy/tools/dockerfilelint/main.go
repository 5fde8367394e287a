// Command dflint runs BuildKit's Dockerfile checks (the ones behind
// `docker build --check`) without a Docker engine or network: base images are
// not pulled; a stub resolver answers with an empty image config.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + fmt.Sprintf("%064d", 0)}}}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		img["os"], img["architecture"] = opt.ImageOpt.Platform.OS, opt.ImageOpt.Platform.Architecture
		if v := opt.ImageOpt.Platform.Variant; v != "" {
			img["variant"] = v
		}
	}
	dt, err := json.Marshal(img)
	return ref, "", dt, err
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dflint Dockerfile...")
		os.Exit(2)
	}
	bad := false
	for _, name := range os.Args[1:] {
		dt, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		sm := llb.NewSourceMap(nil, name, "Dockerfile", dt)
		sm.Definition = &llb.Definition{} // no LLB: we only lint
		res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
			Config:       dockerui.Config{},
			SourceMap:    sm,
			MetaResolver: offlineResolver{},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if len(res.Warnings) > 0 || res.Error != nil {
			bad = true
		}
		fmt.Printf("%s: %d warning(s)\n", name, len(res.Warnings))
		if err := res.PrintTo(os.Stdout, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		if res.Error != nil {
			res.PrintErrorTo(os.Stdout, nil)
		}
	}
	if bad {
		os.Exit(1)
	}
}
