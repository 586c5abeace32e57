//go:build cgo

package backend

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef void (*f2b_restart_fn)(void *);
typedef int (*f2b_enum_fn)(void *, const void **, size_t *);
typedef int (*f2b_realtime_fn)(void *, unsigned long long *);
typedef int (*f2b_monotonic_fn)(void *, unsigned long long *, void *);
static f2b_restart_fn f2b_restart;
static f2b_enum_fn f2b_enum;
static f2b_realtime_fn f2b_realtime;
static f2b_monotonic_fn f2b_monotonic;

static int f2b_journal_init(void) {
	void *h = dlopen("libsystemd.so.0", RTLD_LAZY);
	if (!h) h = dlopen("libsystemd.so", RTLD_LAZY);
	if (!h) return -1;
	f2b_restart = (f2b_restart_fn)dlsym(h, "sd_journal_restart_data");
	f2b_enum = (f2b_enum_fn)dlsym(h, "sd_journal_enumerate_available_data");
	if (!f2b_enum) f2b_enum = (f2b_enum_fn)dlsym(h, "sd_journal_enumerate_data");
	f2b_realtime = (f2b_realtime_fn)dlsym(h, "sd_journal_get_realtime_usec");
	f2b_monotonic = (f2b_monotonic_fn)dlsym(h, "sd_journal_get_monotonic_usec");
	return f2b_restart && f2b_enum && f2b_realtime && f2b_monotonic ? 0 : -1;
}

// f2b_journal_fields reads the current entry's realtime and monotonic
// stamps (stamps[0], stamps[1]), then walks its data once and copies the
// value of each wanted field (names[i], "NAME=" form, nlen[i] bytes; the
// first occurrence wins) into buf, recording its offset and length (-1:
// absent). Returns 0, a negative errno, or the buffer size needed when cap
// is short.
static long f2b_journal_fields(void *j, const char *const *names, const long *nlen, int n,
		long *off, long *len, char *buf, long cap, unsigned long long *stamps) {
	const void *d;
	size_t l;
	long used = 0, need = 0;
	int r, i;
	if ((r = f2b_realtime(j, &stamps[0])) < 0) return r;
	unsigned char boot[16]; // a NULL boot ID would make libsystemd demand this boot
	if (f2b_monotonic(j, &stamps[1], boot) < 0) stamps[1] = 0;
	for (i = 0; i < n; i++) off[i] = len[i] = -1;
	f2b_restart(j);
	while ((r = f2b_enum(j, &d, &l)) > 0) {
		for (i = 0; i < n; i++) {
			size_t k = (size_t)nlen[i];
			if (len[i] >= 0 || l < k || memcmp(d, names[i], k) != 0) continue;
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
	"sync"
	"syscall"
	"unsafe"

	"github.com/coreos/go-systemd/v22/sdjournal"
)

var (
	fastInit sync.Once
	fastOK   bool
	// fastNames and fastLens are entryFields as "NAME=" C strings and
	// their lengths; they live for the process.
	fastNames, fastLens = func() (*[numEntryFields]*C.char, *[numEntryFields]C.long) {
		names := (*[numEntryFields]*C.char)(C.malloc(C.size_t(numEntryFields) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		lens := (*[numEntryFields]C.long)(C.malloc(C.size_t(numEntryFields) * C.size_t(unsafe.Sizeof(C.long(0)))))
		for i, f := range entryFields {
			names[i] = C.CString(f + "=")
			lens[i] = C.long(len(f) + 1)
		}
		return names, lens
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

// read fills vals from the current entry and returns its realtime and
// monotonic stamps (µs). vals alias a string made for this entry.
func (f *fastReader) read(vals *entryValues) (realtime, mono uint64, err error) {
	var stamps [2]C.ulonglong
	for {
		r := C.f2b_journal_fields(f.h, &fastNames[0], &fastLens[0], C.int(numEntryFields), &f.offs[0], &f.lens[0],
			(*C.char)(unsafe.Pointer(&f.buf[0])), C.long(len(f.buf)), &stamps[0])
		switch {
		case r < 0:
			return 0, 0, fmt.Errorf("read journal entry: %w", syscall.Errno(-r))
		case r > 0:
			f.buf = make([]byte, int(r)+len(f.buf))
			continue
		}
		break
	}
	*vals = entryValues{}
	if n := f.usedLen(); n > 0 {
		s := string(f.buf[:n])
		for i := range vals {
			if f.lens[i] >= 0 {
				vals[i] = s[f.offs[i] : f.offs[i]+f.lens[i]]
			}
		}
	}
	return uint64(stamps[0]), uint64(stamps[1]), nil
}

// usedLen is how much of buf the last read filled.
func (f *fastReader) usedLen() int {
	n := 0
	for i := range numEntryFields {
		if f.lens[i] > 0 {
			n = max(n, int(f.offs[i]+f.lens[i]))
		}
	}
	return n
}
