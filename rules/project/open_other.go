//go:build !unix

package project

const nonBlock = 0
