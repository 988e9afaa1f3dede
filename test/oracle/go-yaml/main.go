// Command go-yaml is the differential-test oracle for bulwark's manifest reader: it reads YAML streams the way
// kubectl does and prints what the cluster would receive.
//
// For each stream it splits the documents exactly like k8s.io/apimachinery/pkg/util/yaml's YAMLReader (the reader
// behind kubectl's YAMLOrJSONDecoder, copied below because Debian does not package apimachinery) and converts each
// document with sigs.k8s.io/yaml's YAMLToJSON (go-yaml v2 underneath, as kubectl and Helm do). Like kubectl's
// StreamVisitor it stops at the first error of a stream. Before splitting, a UTF-16 byte order mark selects UTF-16 and
// a UTF-8 one is dropped, as the unicode.BOMOverride transform of kubectl's FileVisitor does.
//
// Input on stdin, many streams per run: "<byte length>\n<bytes>" repeated. Output: one JSON line per stream,
// {"docs":[{"json":<value>} or {"error":"<message>"}, ...]}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

type doc struct {
	JSON  *json.RawMessage `json:"json,omitempty"`
	Error *string          `json:"error,omitempty"`
}

type result struct {
	Docs []doc `json:"docs"`
}

// fromUTF16 decodes UTF-16 text (after its byte order mark); odd lengths and unpaired surrogates are errors.
func fromUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("invalid UTF-16: odd number of bytes")
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		if u >= 0xd800 && u < 0xdc00 {
			if i+1 < len(units) && units[i+1] >= 0xdc00 && units[i+1] < 0xe000 {
				i++
				continue
			}
			return nil, fmt.Errorf("invalid UTF-16: unpaired surrogate")
		}
		if u >= 0xdc00 && u < 0xe000 {
			return nil, fmt.Errorf("invalid UTF-16: unpaired surrogate")
		}
	}
	var out bytes.Buffer
	buf := make([]byte, 4)
	for _, r := range utf16.Decode(units) {
		n := utf8.EncodeRune(buf, r)
		out.Write(buf[:n])
	}
	return out.Bytes(), nil
}

// --- copied from k8s.io/apimachinery/pkg/util/yaml/decoder.go (Apache-2.0), YAMLReader and LineReader ---

const separator = "---"

type yamlSyntaxError struct{ err error }

func (e yamlSyntaxError) Error() string { return e.err.Error() }

type lineReader struct{ reader *bufio.Reader }

func (r *lineReader) Read() ([]byte, error) {
	var (
		isPrefix bool  = true
		err      error = nil
		line     []byte
		buffer   bytes.Buffer
	)
	for isPrefix && err == nil {
		line, isPrefix, err = r.reader.ReadLine()
		buffer.Write(line)
	}
	buffer.WriteByte('\n')
	return buffer.Bytes(), err
}

type yamlReader struct{ reader *lineReader }

func (r *yamlReader) Read() ([]byte, error) {
	var buffer bytes.Buffer
	for {
		line, err := r.reader.Read()
		if err != nil && err != io.EOF {
			return nil, err
		}
		sep := len([]byte(separator))
		if i := bytes.Index(line, []byte(separator)); i == 0 {
			i += sep
			trimmed := strings.TrimSpace(string(line[i:]))
			if len(trimmed) > 0 && string(trimmed[0]) != "#" {
				return nil, yamlSyntaxError{err: fmt.Errorf("invalid Yaml document separator: %s", trimmed)}
			}
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			if err == io.EOF {
				return nil, err
			}
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			return nil, err
		}
		buffer.Write(line)
	}
}

// --- end of copy ---


func convert(stream []byte) result {
	res := result{Docs: []doc{}}
	fail := func(err error) result {
		msg := err.Error()
		res.Docs = append(res.Docs, doc{Error: &msg})
		return res
	}
	switch {
	case bytes.HasPrefix(stream, []byte{0xfe, 0xff}):
		b, err := fromUTF16(stream[2:], true)
		if err != nil {
			return fail(err)
		}
		stream = b
	case bytes.HasPrefix(stream, []byte{0xff, 0xfe}):
		b, err := fromUTF16(stream[2:], false)
		if err != nil {
			return fail(err)
		}
		stream = b
	case bytes.HasPrefix(stream, []byte{0xef, 0xbb, 0xbf}):
		stream = stream[3:]
	}
	r := &yamlReader{reader: &lineReader{reader: bufio.NewReader(bytes.NewReader(stream))}}
	for {
		chunk, err := r.Read()
		if err != nil && err != io.EOF {
			return fail(err)
		}
		if len(chunk) != 0 {
			out, yerr := yaml.YAMLToJSON(chunk)
			if yerr != nil {
				return fail(yerr)
			}
			raw := json.RawMessage(out)
			res.Docs = append(res.Docs, doc{JSON: &raw})
		}
		if err == io.EOF {
			return res
		}
	}
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		header, err := in.ReadString('\n')
		if err == io.EOF && header == "" {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-yaml oracle: reading a length line:", err)
			os.Exit(2)
		}
		n, err := strconv.Atoi(strings.TrimSpace(header))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "go-yaml oracle: bad length line %q\n", header)
			os.Exit(2)
		}
		stream := make([]byte, n)
		if _, err := io.ReadFull(in, stream); err != nil {
			fmt.Fprintln(os.Stderr, "go-yaml oracle: reading a stream:", err)
			os.Exit(2)
		}
		if err := enc.Encode(convert(stream)); err != nil {
			fmt.Fprintln(os.Stderr, "go-yaml oracle: writing:", err)
			os.Exit(2)
		}
	}
}
