package domain

import (
	"strings"

	"github.com/kemnaker/blk/msg"
)

// Level says whether a problem blocks a save.
type Level int

const (
	Warning Level = iota // saved, with a visible flag
	Invalid              // cannot be saved
)

// Lang is a user-interface language (see package msg).
type Lang = msg.Lang

const (
	Indonesian = msg.Indonesian
	English    = msg.English
)

// ParseLang maps a locale such as "en_US.UTF-8" or "C" to a language;
// Indonesian is the fallback for anything unknown.
func ParseLang(s string) Lang { return msg.ParseLang(s) }

// Problem is one validation finding on one field.
type Problem struct {
	Field string
	Level Level
	Code  string // a msg key: problem.* for the domain's rules
	Args  []any  // fill the text's fmt verbs
}

// Message renders the problem in lang.
func (p Problem) Message(lang Lang) string { return msg.T(lang, p.Code, p.Args...) }

// Problems is the result of a validation.
type Problems []Problem

// Invalid reports whether any problem blocks the save.
func (ps Problems) Invalid() bool {
	for _, p := range ps {
		if p.Level == Invalid {
			return true
		}
	}
	return false
}

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Level == Warning {
			out = append(out, p)
		}
	}
	return out
}

// For returns the problems of one field.
func (ps Problems) For(field string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

// Text joins the problems as "field: message; …" in lang.
func (ps Problems) Text(lang Lang) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = FieldLabel(p.Field, lang) + ": " + p.Message(lang)
	}
	return strings.Join(parts, "; ")
}

// ValidationError is returned by a store write that was refused.
type ValidationError struct {
	Table    string
	Problems Problems
}

func (e *ValidationError) Error() string { return e.Problems.Text(English) }

// Localized renders the error in lang.
func (e *ValidationError) Localized(lang Lang) string { return e.Problems.Text(lang) }

// FieldLabel is the human name of a field in lang: the msg key
// field.<name> (the field name itself if the catalogue has none).
func FieldLabel(field string, lang Lang) string {
	k := "field." + field
	if !msg.Has(k) {
		return field
	}
	return msg.T(lang, k)
}
