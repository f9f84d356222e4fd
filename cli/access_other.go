//go:build !unix

package cli

// accessWrite is a no-op where access(2) is not available: opening the file
// reports a missing permission later, as a failed output.
func accessWrite(string) error { return nil }
