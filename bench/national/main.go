// Command national writes the national load-test dataset (package internal/national) as one
// import document on standard output.
//
//	go run ./bench/national > national.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/samverkan/samverkan/internal/national"
)

func main() {
	municipalities := flag.Int("municipalities", 290, "how many municipalities")
	activities := flag.Int("activities", 25, "activities per promise period")
	flag.Parse()
	if err := national.Write(os.Stdout, *municipalities, *activities); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
