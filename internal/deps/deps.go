//go:build deps

// Package deps pins the project's chosen third-party modules in go.mod while
// the packages that use them are being written, so that `go mod tidy` keeps
// one agreed set of versions. It is never built.
package deps

import (
	_ "github.com/coreos/go-systemd/v22/sdjournal"
	_ "github.com/dlclark/regexp2"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/nlpodyssey/gopickle/pickle"
	_ "github.com/spf13/cobra"
	_ "golang.org/x/sys/unix"
	_ "gopkg.in/ini.v1"
	_ "modernc.org/sqlite"
)
