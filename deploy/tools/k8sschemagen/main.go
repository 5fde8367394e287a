// Command k8sschemagen turns Kubernetes' api/openapi-spec/swagger.json into the
// per-kind standalone JSON schemas that kubeconform reads, in the layout
//
//	OUT/<version>-standalone/<kind>[-<group>]-<version>.json
//	OUT/<version>-standalone-strict/...   (additionalProperties: false everywhere)
//
// Transformations follow openapi2jsonschema --kubernetes --expanded --stand-alone [--strict].
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const refPrefix = "#/definitions/"

func main() {
	in := flag.String("swagger", "", "path to swagger.json (k8s.io/kubernetes/api/openapi-spec/swagger.json)")
	out := flag.String("out", "schemas", "output directory")
	ver := flag.String("version", "master", "directory name prefix: master or vX.Y.Z (kubeconform -kubernetes-version X.Y.Z)")
	flag.Parse()
	raw, err := os.ReadFile(*in)
	if err != nil {
		fail(err)
	}
	var doc struct {
		Definitions map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		fail(err)
	}
	defs := doc.Definitions
	if len(defs) == 0 {
		fail(fmt.Errorf("%s: no definitions", *in))
	}
	// Kubernetes special cases (as openapi2jsonschema --kubernetes).
	defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = map[string]any{
		"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
	defs["io.k8s.apimachinery.pkg.api.resource.Quantity"] = map[string]any{
		"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
	for name, d := range defs {
		defs[name] = nullable(intOrString(d))
	}

	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, strict := range []bool{false, true} {
		dir := filepath.Join(*out, *ver+"-standalone")
		if strict {
			dir += "-strict"
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail(err)
		}
		written := map[string]string{}
		for _, name := range names {
			gvks, _ := defs[name].(map[string]any)["x-kubernetes-group-version-kind"].([]any)
			for _, g := range gvks {
				gvk := g.(map[string]any)
				group, _ := gvk["group"].(string)
				version, _ := gvk["version"].(string)
				kind, _ := gvk["kind"].(string)
				file := strings.ToLower(kind)
				if group != "" {
					file += "-" + strings.ToLower(strings.Split(group, ".")[0])
				}
				file += "-" + strings.ToLower(version) + ".json"
				if prev, ok := written[file]; ok {
					fmt.Fprintf(os.Stderr, "warning: %s: %s and %s; keeping the first\n", file, prev, name)
					continue
				}
				written[file] = name
				root := deepCopy(defs[name]).(map[string]any)
				apiVersion := version
				if group != "" {
					apiVersion = group + "/" + version
				}
				if props, ok := root["properties"].(map[string]any); ok {
					pin(props, "kind", kind)
					pin(props, "apiVersion", apiVersion)
				}
				closure := map[string]any{}
				collect(root, defs, closure)
				if len(closure) > 0 {
					root["definitions"] = closure
				}
				if strict {
					strictify(root)
				}
				b, err := json.Marshal(root)
				if err != nil {
					fail(err)
				}
				if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
					fail(err)
				}
			}
		}
		fmt.Printf("%s: %d schemas\n", dir, len(written))
	}
}

// pin restricts kind/apiVersion to the value of this file's GVK.
func pin(props map[string]any, key, val string) {
	if p, ok := props[key].(map[string]any); ok {
		p["enum"] = []any{val}
	}
}

// collect adds every definition reachable from v to closure.
func collect(v any, defs, closure map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); k == "$ref" && ok && strings.HasPrefix(s, refPrefix) {
				n := strings.TrimPrefix(s, refPrefix)
				if _, seen := closure[n]; !seen {
					d, ok := defs[n]
					if !ok {
						fail(fmt.Errorf("dangling $ref %s", s))
					}
					closure[n] = deepCopy(d)
					collect(closure[n], defs, closure)
				}
				continue
			}
			collect(x, defs, closure)
		}
	case []any:
		for _, x := range t {
			collect(x, defs, closure)
		}
	}
}

func intOrString(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if t["format"] == "int-or-string" {
			return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
		}
		for k, x := range t {
			t[k] = intOrString(x)
		}
	case []any:
		for i, x := range t {
			t[i] = intOrString(x)
		}
	}
	return v
}

// nullable lets every typed value also be null (an omitted/empty YAML value), like
// the published kubernetes-json-schema files. Property maps are walked by name so
// that a property literally called "type" is not mistaken for a keyword.
func nullable(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			switch {
			case k == "type":
				if s, ok := x.(string); ok && s != "null" {
					t[k] = []any{s, "null"}
				}
			case k == "properties" || k == "definitions" || k == "patternProperties":
				if m, ok := x.(map[string]any); ok {
					for pk, px := range m {
						m[pk] = nullable(px)
					}
				}
			case k == "enum" || k == "required" || k == "example" || k == "default":
			default:
				t[k] = nullable(x)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = nullable(x)
		}
	}
	return v
}

// strictify forbids unknown fields in every object schema that lists its properties.
func strictify(v any) {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["properties"].(map[string]any); ok {
			if _, has := t["additionalProperties"]; !has {
				t["additionalProperties"] = false
			}
		}
		for k, x := range t {
			if k == "properties" || k == "definitions" {
				if m, ok := x.(map[string]any); ok {
					for _, px := range m {
						strictify(px)
					}
				}
				continue
			}
			if k == "enum" || k == "required" || k == "example" || k == "default" {
				continue
			}
			strictify(x)
		}
	case []any:
		for _, x := range t {
			strictify(x)
		}
	}
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "k8sschemagen:", err)
	os.Exit(1)
}
