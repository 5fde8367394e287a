package httpapi

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	samverkanapi "github.com/samverkan/samverkan"
)

// allocated is what fn allocates on the heap in all.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Scanning a body costs in proportion to it whatever its shape: twice the body, at most a
// little over twice the allocations. A problem's pointer is built only while the list has
// room, and cut short however long its field names are; unknown field names are not kept.
func TestScanningAllocatesInProportionToTheBody(t *testing.T) {
	doc, err := LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	forum := doc.Components.Schemas["ForumInput"].Value
	shapes := map[string]func(n int) string{
		"a long field name over many duplicates": func(n int) string {
			return `{"` + strings.Repeat("a", 50*n) + `":{` + strings.Repeat(`"a":0,`, n) + `"a":0}}`
		},
		"a long field name over control characters": func(n int) string {
			return `{"` + strings.Repeat("a", 50*n) + `":[` + strings.Repeat(`"\u0001",`, n/100) + `"\u0001"]}`
		},
		"many unknown field names": func(n int) string {
			names := make([]string, 4*n)
			for i := range names {
				names[i] = `"` + strconv.Itoa(i) + `":0`
			}
			return "{" + strings.Join(names, ",") + "}"
		},
		"many known field names twice": func(n int) string {
			return "{" + strings.Repeat(`"name":"x",`, 4*n) + `"name":"x"}`
		},
	}
	for name, body := range shapes {
		small, large := body(10_000), body(20_000)
		var p *problems
		a := allocated(func() { scanJSON([]byte(small), forum) })
		b := allocated(func() { p = scanJSON([]byte(large), forum) })
		if b > a*5/2 {
			t.Errorf("%s: %d kB allocated %d kB, twice that %d kB: it grows faster than the body", name, len(small)>>10, a>>10, b>>10)
		}
		if len(p.fields) == 0 {
			t.Errorf("%s: no problem found", name)
		}
		for _, f := range p.fields {
			if len(f.Pointer) > 4*maxDetailRunes {
				t.Errorf("%s: a pointer of %d bytes", name, len(f.Pointer))
			}
		}
	}
}
