package cli

import (
	"fmt"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/kraken"
)

const nonceScaleUsage = "nonce-scale NAME [ms|us|ns]"

// nonceScaleInput is what nonce-scale needs: no Scale shows the key's.
type nonceScaleInput struct {
	Ref   string
	Scale string
}

func runNonceScale(e *env, args []string) int {
	fs := newFlags(e, "nonce-scale", nonceScaleUsage)
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if len(pos) < 1 || len(pos) > 2 {
		return e.fail(usageErr("Name one key, and the scale to set if you want to change it.\nusage: keywarden %s", nonceScaleUsage))
	}
	in := nonceScaleInput{Ref: pos[0]}
	if len(pos) == 2 {
		in.Scale = pos[1]
	}
	if err := nonceScale(e, in); err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// nonceScale shows or sets the scale of the nonces Keywarden sends with a
// key: that of the programs that use it (milliseconds unless one of them
// counts in micro- or nanoseconds).
func nonceScale(e *env, in nonceScaleInput) error {
	svc, rec, err := e.serviceFor(in.Ref, false)
	if err != nil {
		return err
	}
	if in.Scale == "" {
		fmt.Fprintf(e.out, "%q sends %s nonces (%d digits).\n", rec.Name, scaleWords(rec.NonceScale), rec.NonceScale.Digits())
		if seen, ok := check.SuggestedNonceScale(rec); ok {
			fmt.Fprintf(e.out, "Kraken's last answer showed %s nonces on this key: a program that uses it counts in %s. To check it without \"Invalid nonce\", run: keywarden nonce-scale %s %s\n",
				scaleWords(seen), scaleWords(seen), safe(rec.Name), seen)
		}
		return nil
	}
	scale, err := kraken.ParseNonceScale(in.Scale)
	if err != nil {
		return usageErr("%q is not a nonce scale: give ms, us or ns (milli-, micro- or nanoseconds).", in.Scale)
	}
	if rec, err = svc.SetNonceScale(rec.ID, scale); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%q now sends %s nonces (%d digits).\n", rec.Name, scaleWords(rec.NonceScale), rec.NonceScale.Digits())
	if scale.OrDefault() != kraken.NonceMilliseconds {
		fmt.Fprintln(e.out, "Every program that uses this key must count in the same scale or a larger one: a smaller one fails with \"Invalid nonce\" from now on.")
	}
	return nil
}

func scaleWords(s kraken.NonceScale) string {
	switch s.OrDefault() {
	case kraken.NonceMicroseconds:
		return "microsecond"
	case kraken.NonceNanoseconds:
		return "nanosecond"
	}
	return "millisecond"
}
