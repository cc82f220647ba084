// Package docs holds composure's documentation; the rule pages are
// generated from the rule values.
package docs

//go:generate go run ./gen/main.go .
