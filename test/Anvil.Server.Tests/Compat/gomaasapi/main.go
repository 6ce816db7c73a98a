// Command gomaasapi-driver exercises an Anvil region through Debian's unmodified gomaasapi
// (the Go client Juju's MAAS provider uses) and prints what it saw as JSON for the C# test.
//
// usage: gomaasapi-driver <base-url> <api-key> <tag> <min-cpu> <min-mem-mib>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"

	"github.com/juju/gomaasapi"
)

type report struct {
	Capabilities   []string `json:"capabilities"`
	Listed         []string `json:"listed"`
	Zones          []string `json:"zones"`
	Allocated      []string `json:"allocated"`
	AllocatedCPUs  []int    `json:"allocated_cpus"`
	AllocatedMem   []int    `json:"allocated_mem"`
	AllocatedTags  []string `json:"allocated_tags"`
	NoMatchIsError bool     `json:"no_match_is_no_match_error"`
	ReleasedOK     bool     `json:"released"`
	AfterRelease   []string `json:"statuses_after_release"`
}

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", step, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: gomaasapi-driver <base-url> <api-key> <tag> <min-cpu> <min-mem-mib>")
		os.Exit(2)
	}
	tag := os.Args[3]
	minCPU, _ := strconv.Atoi(os.Args[4])
	minMem, _ := strconv.Atoi(os.Args[5])

	controller, err := gomaasapi.NewController(gomaasapi.ControllerArgs{BaseURL: os.Args[1], APIKey: os.Args[2]})
	if err != nil {
		fail("connect", err)
	}
	var r report
	r.Capabilities = controller.Capabilities().SortedValues()

	machines, err := controller.Machines(gomaasapi.MachinesArgs{})
	if err != nil {
		fail("list machines", err)
	}
	for _, m := range machines {
		r.Listed = append(r.Listed, m.SystemID())
	}
	sort.Strings(r.Listed)

	zones, err := controller.Zones()
	if err != nil {
		fail("zones", err)
	}
	for _, z := range zones {
		r.Zones = append(r.Zones, z.Name())
	}
	// controller.Pools() is not called: it requests pools/, which MAAS itself does not serve
	// (resource pools live at resourcepools/), so it fails against MAAS too.

	// Allocate until no machine matches; every allocation must satisfy the constraints.
	args := gomaasapi.AllocateMachineArgs{Tags: []string{tag}, MinCPUCount: minCPU, MinMemory: minMem, AgentName: "gomaasapi-driver"}
	for {
		m, _, err := controller.AllocateMachine(args)
		if err != nil {
			r.NoMatchIsError = gomaasapi.IsNoMatchError(err)
			if !r.NoMatchIsError {
				fail("allocate", err)
			}
			break
		}
		r.Allocated = append(r.Allocated, m.SystemID())
		r.AllocatedCPUs = append(r.AllocatedCPUs, m.CPUCount())
		r.AllocatedMem = append(r.AllocatedMem, m.Memory())
		r.AllocatedTags = append(r.AllocatedTags, m.Tags()...)
		if len(r.Allocated) > 100 {
			fail("allocate", fmt.Errorf("allocation never ran out of machines"))
		}
	}

	if len(r.Allocated) > 0 {
		if err := controller.ReleaseMachines(gomaasapi.ReleaseMachinesArgs{SystemIDs: r.Allocated, Comment: "released by gomaasapi-driver"}); err != nil {
			fail("release", err)
		}
		r.ReleasedOK = true
		after, err := controller.Machines(gomaasapi.MachinesArgs{SystemIDs: r.Allocated})
		if err != nil {
			fail("list after release", err)
		}
		for _, m := range after {
			r.AfterRelease = append(r.AfterRelease, m.StatusName())
		}
	}

	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}
