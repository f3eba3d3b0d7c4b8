// Runs VPA v1.8.1's own recommender model and logic on the scenarios of scenarios.json, with the
// samples generate.ts makes (same integer arithmetic), and prints what it recommends:
//
//	cd test/rightsize/vpa/golden && go run . > expected.json && go run . buckets > buckets.json
//
// Samples enter as the Prometheus history provider and cluster feeder put them in: CPU and memory
// of each (pod, container) in one list sorted by time (stably here, so the output is
// deterministic), CPU as CPUAmountFromCores(cores), memory as MemoryAmountFromBytes(bytes); OOM
// kills recorded (RecordOOM) after the memory samples up to their time; one aggregate per pod,
// merged by container name as AggregateStateByContainerName does, in pod order.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"k8s.io/autoscaler/vertical-pod-autoscaler/pkg/recommender/logic"
	"k8s.io/autoscaler/vertical-pod-autoscaler/pkg/recommender/model"
)

type scenario struct {
	Name            string     `json:"name"`
	Seed            uint32     `json:"seed"`
	Pods            int        `json:"pods"`
	Containers      []string   `json:"containers"`
	Shape           string     `json:"shape"`
	CPUBase         int64      `json:"cpuBase"`
	MemBase         int64      `json:"memBase"`
	Step            int64      `json:"step"`
	Samples         int64      `json:"samples"`
	Ooms            [][2]int64 `json:"ooms"`
	Disorder        bool       `json:"disorder"`
	NaN             bool       `json:"nan"`
	Stagger         int64      `json:"stagger"`
	NoCPUFor        string     `json:"noCpuFor"`
	ZeroFirstMemory bool       `json:"zeroFirstMemory"`
}

type file struct {
	Start     int64      `json:"start"`
	Scenarios []scenario `json:"scenarios"`
}

type expectedContainer struct {
	Container         string   `json:"container"`
	Target            [2]int64 `json:"target"`
	LowerBound        [2]int64 `json:"lowerBound"`
	UpperBound        [2]int64 `json:"upperBound"`
	TotalSamplesCount int      `json:"totalSamplesCount"`
	Confidence        float64  `json:"confidence"`
}

type oom struct {
	t       int64
	request int64
}

type history struct {
	samples []model.ContainerUsageSample
	ooms    []oom
}

func generate(start int64, s scenario) map[string][]history {
	state := s.Seed
	next := func() int64 {
		state = state*1664525 + 1013904223
		return int64(state)
	}
	result := map[string][]history{}
	for p := 0; p < s.Pods; p++ {
		podStart := start + int64(p)*s.Stagger*s.Step
		for _, container := range s.Containers {
			var cpu, mem []model.ContainerUsageSample
			previous := podStart
			for i := int64(0); i < s.Samples; i++ {
				t := podStart + i*s.Step
				if s.Disorder && i%50 == 10 {
					t = previous
				}
				if s.Disorder && i%97 == 3 {
					t = t - 7*s.Step
				}
				previous = t
				r := next()
				var m int64
				switch s.Shape {
				case "steady":
					m = s.CPUBase + r%(s.CPUBase/5+1)
				case "spiky":
					if r%20 == 0 {
						m = s.CPUBase*5 + r%(s.CPUBase+1)
					} else {
						m = s.CPUBase + r%(s.CPUBase/5+1)
					}
				case "growing":
					m = s.CPUBase + s.CPUBase*i/s.Samples + r%(s.CPUBase/5+1)
				case "idle":
					m = r % 3
				}
				r2 := next()
				bytes := s.MemBase + (r2%1000)*(s.MemBase/10000)
				if s.Shape == "growing" {
					bytes += s.MemBase * i / s.Samples
				}
				if s.Shape == "spiky" && r2%30 == 0 {
					bytes *= 2
				}
				if s.ZeroFirstMemory && i == 0 {
					bytes = 0
				}
				cores := float64(m) / 1000
				if s.NaN && i%37 == 5 {
					cores = math.NaN()
				}
				bytesF := float64(bytes)
				if s.NaN && i%41 == 7 {
					bytesF = -5
				}
				when := time.Unix(t, 0)
				if container != s.NoCPUFor {
					cpu = append(cpu, model.ContainerUsageSample{MeasureStart: when, Usage: model.CPUAmountFromCores(cores), Resource: model.ResourceCPU})
				}
				mem = append(mem, model.ContainerUsageSample{MeasureStart: when, Usage: model.MemoryAmountFromBytes(bytesF), Resource: model.ResourceMemory})
			}
			samples := append(cpu, mem...)
			slices.SortStableFunc(samples, func(a, b model.ContainerUsageSample) int { return a.MeasureStart.Compare(b.MeasureStart) })
			var ooms []oom
			if container == s.Containers[0] {
				for _, o := range s.Ooms {
					ooms = append(ooms, oom{podStart + o[0]*s.Step + 1, o[1]})
				}
			}
			result[container] = append(result[container], history{samples, ooms})
		}
	}
	return result
}

func podAggregate(h history) *model.AggregateContainerState {
	aggregate := model.NewAggregateContainerState()
	container := model.NewContainerState(nil, aggregate)
	next := 0
	for i := range h.samples {
		sample := h.samples[i]
		if sample.Resource == model.ResourceMemory {
			for next < len(h.ooms) && time.Unix(h.ooms[next].t, 0).Before(sample.MeasureStart) {
				_ = container.RecordOOM(time.Unix(h.ooms[next].t, 0), model.ResourceAmount(h.ooms[next].request))
				next++
			}
		}
		container.AddSample(&sample)
	}
	for ; next < len(h.ooms); next++ {
		_ = container.RecordOOM(time.Unix(h.ooms[next].t, 0), model.ResourceAmount(h.ooms[next].request))
	}
	return aggregate
}

func confidence(s *model.AggregateContainerState, interval time.Duration) float64 {
	lifespan := float64(s.LastSampleStart.Sub(s.FirstSampleStart)) / float64(interval)
	samples := float64(s.TotalSamplesCount) / interval.Minutes()
	return math.Min(lifespan, samples)
}

// buckets prints VPA's CPU and memory bucket starts, the first millicore of each CPU bucket up to
// 1000 cores, and the bucket of a spread of memory values: what Go's math.Log and math.Pow give.
func buckets() {
	config := model.GetAggregationsConfig()
	cpu, memory := config.CPUHistogramOptions, config.MemoryHistogramOptions
	out := struct {
		CPUStarts         []float64    `json:"cpuStarts"`
		MemoryStarts      []float64    `json:"memoryStarts"`
		CPUFirstMillicore []int        `json:"cpuFirstMillicore"`
		MemoryProbes      [][2]float64 `json:"memoryProbes"`
	}{}
	for b := 0; b < cpu.NumBuckets(); b++ {
		out.CPUStarts = append(out.CPUStarts, cpu.GetBucketStart(b))
	}
	for b := 0; b < memory.NumBuckets(); b++ {
		out.MemoryStarts = append(out.MemoryStarts, memory.GetBucketStart(b))
	}
	last := -1
	for m := 0; m <= 1000000; m++ {
		if b := cpu.FindBucket(float64(m) / 1000); b != last {
			out.CPUFirstMillicore = append(out.CPUFirstMillicore, m)
			last = b
		}
	}
	for v := 1e6; v < 2e12; v *= 1.0137 {
		bytes := math.Floor(v)
		out.MemoryProbes = append(out.MemoryProbes, [2]float64{bytes, float64(memory.FindBucket(bytes))})
	}
	encoded, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(encoded))
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "buckets" {
		buckets()
		return
	}
	raw, err := os.ReadFile("scenarios.json")
	if err != nil {
		panic(err)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		panic(err)
	}
	config := logic.RecommendationConfig{
		SafetyMarginFraction: 0.15, PodMinCPUMillicores: 25, PodMinMemoryMb: 250,
		TargetCPUPercentile: 0.9, LowerBoundCPUPercentile: 0.5, UpperBoundCPUPercentile: 0.95, ConfidenceIntervalCPU: 24 * time.Hour,
		TargetMemoryPercentile: 0.9, LowerBoundMemoryPercentile: 0.5, UpperBoundMemoryPercentile: 0.95, ConfidenceIntervalMemory: 24 * time.Hour,
	}
	recommender := logic.CreatePodResourceRecommender(config)
	format := logic.RecommendationFormat{RoundCPUMillicores: 1, RoundMemoryBytes: 1}
	out := map[string][]expectedContainer{}
	for _, s := range f.Scenarios {
		histories := generate(f.Start, s)
		byName := model.ContainerNameToAggregateStateMap{}
		for _, name := range s.Containers {
			merged := model.NewAggregateContainerState()
			for _, h := range histories[name] {
				merged.MergeContainerState(podAggregate(h))
			}
			byName[name] = merged
		}
		resources := recommender.GetRecommendedPodResources(byName)
		list := logic.MapToListOfRecommendedContainerResources(resources, format)
		var containers []expectedContainer
		for _, rec := range list.ContainerRecommendations {
			s := byName[rec.ContainerName]
			containers = append(containers, expectedContainer{
				Container:         rec.ContainerName,
				Target:            [2]int64{rec.Target.Cpu().MilliValue(), rec.Target.Memory().Value()},
				LowerBound:        [2]int64{rec.LowerBound.Cpu().MilliValue(), rec.LowerBound.Memory().Value()},
				UpperBound:        [2]int64{rec.UpperBound.Cpu().MilliValue(), rec.UpperBound.Memory().Value()},
				TotalSamplesCount: s.TotalSamplesCount,
				Confidence:        confidence(s, 24*time.Hour),
			})
		}
		out[s.Name] = containers
	}
	encoded, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(encoded))
}
