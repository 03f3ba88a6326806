package traineeimport

// FileError is an import that could not read the file at all (as opposed
// to rows that were refused). Its text is in the user's language.
type FileError struct {
	Path string
	Text string
	Err  error
}

func (e *FileError) Error() string { return e.Text }
func (e *FileError) Unwrap() error { return e.Err }
