package reports

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/result"
)

// LoadResults reads result documents from files and directories. A file is read as
// one result whatever its name. A directory contributes every *.json file in it and
// in its subdirectories (recursively, in lexical order, skipping hidden files and
// directories such as the temporary files of an interrupted atomic write).
//
// A file found in a directory whose "schema" names another syncbench document
// (a loadgen crossover's crossover.json, schema syncbench/crossover/v1) is not a
// result and is skipped; given by name, it is refused like any other.
//
// Any unreadable or invalid file is an error (a *result.FormatError naming it), as
// is a path that does not exist or a directory that holds no result: a report over
// nothing is a mistake in the command line, not an empty report.
func LoadResults(paths ...string) ([]*result.Result, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no result files or directories given")
	}
	var out []*result.Result
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))
		}
		if !info.IsDir() {
			r, err := result.ReadFile(p)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			continue
		}
		files, err := resultFilesIn(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("directory %s holds no result files (*.json)", p)
		}
		for _, f := range files {
			r, err := result.ReadFile(f)
			if err != nil && otherKind(f) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// otherKind reports whether the JSON file at path is a syncbench document of
// another schema than a result's ("syncbench/…" but not result.Schema).
func otherKind(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return false
	}
	return strings.HasPrefix(doc.Schema, "syncbench/") && doc.Schema != result.Schema
}

// resultFilesIn lists the *.json files under dir, recursively, sorted.
func resultFilesIn(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", dir, unwrapPathError(err))
	}
	sort.Strings(files)
	return files, nil
}

// unwrapPathError drops the path and operation from a *fs.PathError, because the
// caller's message already names the path.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
