//go:build !windows && (!unix || android || ios)

package autostart

func enable(string, []string) error { return ErrUnsupported }

func disable() error { return nil }

func enabled() (bool, error) { return false, nil }
