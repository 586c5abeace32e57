//go:build cgo

package backend

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

typedef void (*f2b_restart_fn)(void *);
typedef int (*f2b_enum_fn)(void *, const void **, size_t *);
static f2b_restart_fn f2b_restart;
static f2b_enum_fn f2b_enum;

static int f2b_journal_init(void) {
	void *h = dlopen("libsystemd.so.0", RTLD_LAZY);
	if (!h) h = dlopen("libsystemd.so", RTLD_LAZY);
	if (!h) return -1;
	f2b_restart = (f2b_restart_fn)dlsym(h, "sd_journal_restart_data");
	f2b_enum = (f2b_enum_fn)dlsym(h, "sd_journal_enumerate_available_data");
	if (!f2b_enum) f2b_enum = (f2b_enum_fn)dlsym(h, "sd_journal_enumerate_data");
	return f2b_restart && f2b_enum ? 0 : -1;
}

// f2b_journal_fields walks the data of the current entry once and copies
// the value of each wanted field (names[i], "NAME=" form; the first
// occurrence wins) into buf, recording its offset and length (-1: absent).
// Returns 0, a negative errno, or the buffer size needed when cap is short.
static long f2b_journal_fields(void *j, const char *names, int n, long *off, long *len, char *buf, long cap) {
	const void *d;
	size_t l;
	long used = 0, need = 0;
	int r, i;
	for (i = 0; i < n; i++) off[i] = len[i] = -1;
	f2b_restart(j);
	while ((r = f2b_enum(j, &d, &l)) > 0) {
		const char *p = names;
		for (i = 0; i < n; p += strlen(p) + 1, i++) {
			size_t k = strlen(p);
			if (len[i] >= 0 || l < k || memcmp(d, p, k) != 0) continue;
			long v = (long)(l - k);
			need += v;
			if (used + v <= cap) {
				memcpy(buf + used, (const char *)d + k, v);
				off[i] = used;
				used += v;
			}
			len[i] = v;
			break;
		}
	}
	if (r < 0) return r;
	return need > cap ? need : 0;
}
*/
import "C"

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

var (
	fastInit  sync.Once
	fastOK    bool
	fastNames = func() *C.char {
		var sb strings.Builder
		for _, f := range entryFields {
			sb.WriteString(f + "=\x00")
		}
		return C.CString(sb.String()) // lives for the process
	}()
)

// fastReader reads the wanted fields of an entry with one cgo call that
// walks the entry's data inside C; go-systemd's API costs a cgo call, a
// C string and a libsystemd field scan per field. It needs the sd_journal
// handle, which go-systemd keeps unexported: journalHandle finds it by
// reflection and nil (use the slow path) if the struct ever changes.
type fastReader struct {
	h    unsafe.Pointer
	buf  []byte
	offs [numEntryFields]C.long
	lens [numEntryFields]C.long
}

func newFastReader(jr *sdjournal.Journal) *fastReader {
	fastInit.Do(func() { fastOK = C.f2b_journal_init() == 0 })
	h := journalHandle(jr)
	if !fastOK || h == nil {
		return nil
	}
	return &fastReader{h: h, buf: make([]byte, 4096)}
}

// journalHandle is the *sd_journal inside jr, or nil.
func journalHandle(jr *sdjournal.Journal) unsafe.Pointer {
	v := reflect.ValueOf(jr).Elem()
	f := v.FieldByName("cjournal")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil
	}
	return f.UnsafePointer()
}

// read fills fields (cleared by the caller) from the current entry.
func (f *fastReader) read(fields map[string]string) error {
	for {
		r := C.f2b_journal_fields(f.h, fastNames, C.int(len(entryFields)), &f.offs[0], &f.lens[0],
			(*C.char)(unsafe.Pointer(&f.buf[0])), C.long(len(f.buf)))
		switch {
		case r < 0:
			return fmt.Errorf("read journal entry: %w", syscall.Errno(-r))
		case r > 0:
			f.buf = make([]byte, int(r)+len(f.buf))
			continue
		}
		break
	}
	s := ""
	for i, name := range entryFields {
		if f.lens[i] < 0 {
			continue
		}
		if s == "" {
			s = string(f.buf[:f.usedLen()])
		}
		fields[name] = s[f.offs[i] : f.offs[i]+f.lens[i]]
	}
	return nil
}

// usedLen is how much of buf the last read filled.
func (f *fastReader) usedLen() int {
	n := 0
	for i := range entryFields {
		if f.lens[i] > 0 {
			n = max(n, int(f.offs[i]+f.lens[i]))
		}
	}
	return n
}
