// Package kubernetes holds the kustomize base that runs a loadgen fleet
// (kubectl apply -k deploy/kubernetes) and its rendering test. It is a module
// of its own so that kustomize's Go API stays out of the main go.mod.
package kubernetes

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// The few fields of the rendered objects the checks read.
type container struct {
	Name    string   `json:"name"`
	Image   string   `json:"image"`
	Command []string `json:"command"`
	Args    []string `json:"args"`
	Env     []struct {
		Name      string `json:"name"`
		ValueFrom struct {
			FieldRef struct {
				FieldPath string `json:"fieldPath"`
			} `json:"fieldRef"`
		} `json:"valueFrom"`
	} `json:"env"`
	VolumeMounts []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
	} `json:"volumeMounts"`
}

type podSpec struct {
	RestartPolicy  string      `json:"restartPolicy"`
	InitContainers []container `json:"initContainers"`
	Containers     []container `json:"containers"`
	Volumes        []struct {
		Name                  string `json:"name"`
		PersistentVolumeClaim struct {
			ClaimName string `json:"claimName"`
		} `json:"persistentVolumeClaim"`
	} `json:"volumes"`
}

type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		CompletionMode string `json:"completionMode"`
		Completions    *int   `json:"completions"`
		Parallelism    *int   `json:"parallelism"`
		BackoffLimit   *int   `json:"backoffLimit"`
		Template       struct {
			Spec podSpec `json:"spec"`
		} `json:"template"`
		Ports []struct {
			Port int `json:"port"`
		} `json:"ports"`
	} `json:"spec"`
}

// render builds the base as `kubectl apply -k deploy/kubernetes` would and
// returns its objects by kind/name.
func render(t *testing.T) map[string]object {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), ".")
	if err != nil {
		t.Fatalf("kustomize build: %v", err)
	}
	objs := map[string]object{}
	for _, r := range m.Resources() {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var o object
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatalf("%s/%s: %v", r.GetKind(), r.GetName(), err)
		}
		objs[o.Kind+"/"+o.Metadata.Name] = o
	}
	return objs
}

// readmeBlock returns the lines of the first code block in the README's
// "Fleets on Kubernetes" section.
func readmeBlock(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Fleets on Kubernetes\n")
	if !ok {
		t.Fatal(`README.md has no "## Fleets on Kubernetes" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	parts := strings.Split(section, "\n```")
	if len(parts) < 3 {
		t.Fatal("the README's Kubernetes section has no code block")
	}
	_, block, _ := strings.Cut(parts[1], "\n") // the fence's info string
	return strings.Split(block, "\n")
}

var fleetSize = regexp.MustCompile(`^[A-Za-z0-9_.-]+:([0-9]+)$`)

func TestTheBaseRunsTheREADMEsFleet(t *testing.T) {
	objs := render(t)
	block := readmeBlock(t)

	for _, want := range []string{"Namespace/loadgen", "Deployment/redis", "Service/redis", "PersistentVolumeClaim/loadgen-results", "Job/loadgen-members", "Job/loadgen-collector"} {
		if _, ok := objs[want]; !ok {
			t.Errorf("the base renders no %s", want)
		}
	}
	for name, o := range objs {
		if o.Kind != "Namespace" && o.Metadata.Namespace != "loadgen" {
			t.Errorf("%s is in namespace %q, want loadgen", name, o.Metadata.Namespace)
		}
	}

	// The members' command line is the README's, word for word.
	var readmeCmd []string
	for _, line := range block {
		if strings.HasPrefix(line, "loadgen -") {
			readmeCmd = append(readmeCmd, line)
		}
	}
	if len(readmeCmd) != 1 {
		t.Fatalf("the README's block has %d loadgen command lines, want the members' one: %q", len(readmeCmd), readmeCmd)
	}
	members := objs["Job/loadgen-members"]
	pod := members.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("the members' pod has %d containers, want 1", len(pod.Containers))
	}
	member := pod.Containers[0]
	rendered := strings.Join(slices.Concat(member.Command, member.Args), " ")
	if rendered != readmeCmd[0] {
		t.Errorf("the members run\n  %s\nthe README shows\n  %s", rendered, readmeCmd[0])
	}
	flag := func(args []string, name string) string {
		i := slices.Index(args, name)
		if i < 0 || i+1 >= len(args) {
			t.Fatalf("the members' command has no %s VALUE: %q", name, args)
		}
		return args[i+1]
	}

	// An Indexed Job of N members, all at once, N the -fleet's size.
	sub := fleetSize.FindStringSubmatch(flag(member.Args, "-fleet"))
	if sub == nil {
		t.Fatalf("-fleet %q is not NAME:N", flag(member.Args, "-fleet"))
	}
	n, _ := strconv.Atoi(sub[1])
	if members.Spec.CompletionMode != "Indexed" {
		t.Errorf("completionMode %q, want Indexed", members.Spec.CompletionMode)
	}
	for what, v := range map[string]*int{"completions": members.Spec.Completions, "parallelism": members.Spec.Parallelism} {
		if v == nil || *v != n {
			got := "unset"
			if v != nil {
				got = strconv.Itoa(*v)
			}
			t.Errorf("the members' %s is %s, want %d (-fleet %s): a fleet measures only once all N are there", what, got, n, flag(member.Args, "-fleet"))
		}
	}
	if members.Spec.BackoffLimit == nil || *members.Spec.BackoffLimit != 0 || pod.RestartPolicy != "Never" {
		t.Errorf("backoffLimit %v, restartPolicy %q: a retried member arrives after the fleet's start", members.Spec.BackoffLimit, pod.RestartPolicy)
	}

	// Each member's -out is its own, named by the completion index.
	out := flag(member.Args, "-out")
	if out != "/results/member-$(MEMBER)" {
		t.Errorf("-out %q, want /results/member-$(MEMBER)", out)
	}
	var index string
	for _, e := range member.Env {
		if e.Name == "MEMBER" {
			index = e.ValueFrom.FieldRef.FieldPath
		}
	}
	if index != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("$(MEMBER) comes from %q, want the pod's completion index", index)
	}

	// -redis names the Service.
	host, port, _ := strings.Cut(flag(member.Args, "-redis"), ":")
	svc := objs["Service/redis"]
	if host != svc.Metadata.Name || len(svc.Spec.Ports) != 1 || strconv.Itoa(svc.Spec.Ports[0].Port) != port {
		t.Errorf("-redis %s:%s, the Service is %s with ports %v", host, port, svc.Metadata.Name, svc.Spec.Ports)
	}

	// The collector waits for N summaries and merges exactly the N members'
	// files of the one -impl.
	collector := objs["Job/loadgen-collector"].Spec.Template.Spec
	if len(collector.InitContainers) != 1 || len(collector.Containers) != 1 {
		t.Fatalf("the collector has %d init and %d containers, want 1 and 1", len(collector.InitContainers), len(collector.Containers))
	}
	wait := strings.Join(collector.InitContainers[0].Command, " ")
	if !strings.Contains(wait, fmt.Sprintf("/results/member-*/summary.md 2>/dev/null | wc -l)\" -ge %d ]", n)) {
		t.Errorf("the collector waits with %q, want it to count %d summaries", wait, n)
	}
	impl := flag(member.Args, "-impl")
	var files []string
	for i := range n {
		files = append(files, fmt.Sprintf("/results/member-%d/%s.json", i, impl))
	}
	merge := fmt.Sprintf("loadgen merge %s -out /results/merged/%s.json", strings.Join(files, " "), impl)
	if got := strings.Join(collector.Containers[0].Command, " "); !strings.Contains(got, merge) {
		t.Errorf("the collector runs %q, want it to contain %q", got, merge)
	}

	// Every pod mounts the one claim at /results; the loadgen image is the one
	// the README builds.
	var build string
	for _, line := range block {
		if strings.HasPrefix(line, "docker build ") {
			build = line
		}
	}
	for name, spec := range map[string]podSpec{"members": pod, "collector": collector} {
		if len(spec.Volumes) != 1 || spec.Volumes[0].PersistentVolumeClaim.ClaimName != "loadgen-results" {
			t.Errorf("the %s' volumes are %+v, want the claim loadgen-results", name, spec.Volumes)
		}
		for _, c := range slices.Concat(spec.InitContainers, spec.Containers) {
			if !strings.HasPrefix(c.Image, "loadgen") {
				continue
			}
			if build == "" || !strings.Contains(build, " -t "+c.Image+" ") {
				t.Errorf("the %s' %s runs image %s; the README builds: %q", name, c.Name, c.Image, build)
			}
			if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/results" {
				t.Errorf("the %s' %s mounts %+v, want /results", name, c.Name, c.VolumeMounts)
			}
		}
	}
	if !slices.Contains(block, "kubectl apply -k deploy/kubernetes") {
		t.Error("the README's block does not say `kubectl apply -k deploy/kubernetes`")
	}
}
