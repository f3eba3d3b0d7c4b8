// Command tsdbwrite writes Prometheus TSDB blocks from a stream of regularly sampled series, with
// the same block writer promtool's `tsdb create-blocks-from openmetrics` uses. It exists for the
// rightsize benchmark (bench/rightsize): 1 000 workloads × 3 containers × 14 days at 1-minute steps
// is some 300 M samples with kube-state-metrics' series, tens of GB as OpenMetrics text, and promtool
// reads its whole input into memory and parses it again for every block. Here the values arrive as
// binary float64s and each is appended once.
//
// Input (stdin), repeated until EOF: a little-endian uint32 n, n bytes of JSON
// {"labels":{"__name__":...},"start":<ms>,"step":<ms>,"count":<k>}, then k little-endian float64s,
// the values at start, start+step, ...; NaN means no sample. tools/prometheus/blocks.mjs writes it.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"
)

type header struct {
	Labels map[string]string `json:"labels"`
	Start  int64             `json:"start"`
	Step   int64             `json:"step"`
	Count  int               `json:"count"`
}

// A block under construction: one per block-duration window the samples fall in.
type window struct {
	writer   *tsdb.BlockWriter
	appender storage.Appender
	pending  int
}

const commitEvery = 200_000

func main() {
	out := flag.String("out", "", "the TSDB directory the blocks go to")
	blockDuration := flag.Duration("block-duration", 486*time.Hour, "the span of a block, windows aligned to the Unix epoch (promtool's rounding of --max-block-duration=744h)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "tsdbwrite: -out is required")
		os.Exit(2)
	}
	if err := run(*out, blockDuration.Milliseconds()); err != nil {
		fmt.Fprintf(os.Stderr, "tsdbwrite: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, blockMs int64) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	windows := map[int64]*window{}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	var series, samples int64
	started := time.Now()

	for {
		var n uint32
		if err := binary.Read(in, binary.LittleEndian, &n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("series %d: %w", series, err)
		}
		raw := make([]byte, n)
		if _, err := io.ReadFull(in, raw); err != nil {
			return fmt.Errorf("series %d header: %w", series, err)
		}
		var h header
		if err := json.Unmarshal(raw, &h); err != nil {
			return fmt.Errorf("series %d header: %w", series, err)
		}
		values := make([]float64, h.Count)
		if err := binary.Read(in, binary.LittleEndian, values); err != nil {
			return fmt.Errorf("series %d values: %w", series, err)
		}
		lbls := labels.FromMap(h.Labels)
		refs := map[int64]storage.SeriesRef{}
		for i, v := range values {
			if math.IsNaN(v) {
				continue
			}
			t := h.Start + int64(i)*h.Step
			key := t - t%blockMs
			w := windows[key]
			if w == nil {
				// Twice the block's span, as promtool does: the writer only takes samples at most half
				// its range older than the newest, and every series starts again at the window's start.
				bw, err := tsdb.NewBlockWriter(logger, out, 2*blockMs)
				if err != nil {
					return err
				}
				w = &window{writer: bw, appender: bw.Appender(ctx)}
				windows[key] = w
			}
			ref, err := w.appender.Append(refs[key], lbls, t, v)
			if err != nil {
				return fmt.Errorf("%s at %d: %w", lbls, t, err)
			}
			refs[key] = ref
			samples++
			if w.pending++; w.pending >= commitEvery {
				if err := w.appender.Commit(); err != nil {
					return err
				}
				w.appender = w.writer.Appender(ctx)
				w.pending = 0
				refs = map[int64]storage.SeriesRef{} // references are per transaction
			}
		}
		series++
	}
	for _, w := range windows {
		if err := w.appender.Commit(); err != nil {
			return err
		}
		id, err := w.writer.Flush(ctx)
		if err != nil {
			return err
		}
		if err := w.writer.Close(); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "tsdbwrite: block %s\n", id)
	}
	fmt.Fprintf(os.Stderr, "tsdbwrite: %d series, %d samples in %.1f s\n", series, samples, time.Since(started).Seconds())
	return nil
}
