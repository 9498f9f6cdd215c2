package cli

import (
	"context"
	"errors"
)

func runDemo(ctx context.Context, env *Env, args []string) error   { return errors.New("尚未实现") }
func runImport(ctx context.Context, env *Env, args []string) error { return errors.New("尚未实现") }
func runExport(ctx context.Context, env *Env, args []string) error { return errors.New("尚未实现") }
func runBench(ctx context.Context, env *Env, args []string) error  { return errors.New("尚未实现") }
