package config

import (
	"io"
	"testing"
)

// BenchmarkLoad_StockAllJails reads and resolves Debian's stock tree with
// every jail enabled and renders the -d dump.
func BenchmarkLoad_StockAllJails(b *testing.B) {
	needOracle(b)
	dir := copyTree(b, stockDir)
	enableAll(b, dir)
	b.ReportAllocs()
	for b.Loop() {
		c, _ := Load(Options{Dir: dir})
		if c.Stream() == nil {
			b.Fatal(c.Fatal())
		}
		if err := Dump(io.Discard, c.Stream(), false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStr2Seconds(b *testing.B) {
	for b.Loop() {
		if _, err := Str2Seconds("1d 2h30m"); err != nil {
			b.Fatal(err)
		}
	}
}
