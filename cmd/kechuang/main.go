// Command kechuang is the whole Kechuang platform in one binary.
package main

import (
	"context"
	"os"

	"kechuang/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), &cli.Env{Args: os.Args, Stdout: os.Stdout, Stderr: os.Stderr}))
}
