package kraken_test

import (
	"errors"
	"testing"

	"github.com/keywarden/keywarden/kraken"
)

func TestSign(t *testing.T) {
	tests := []struct {
		name                              string
		urlPath, nonce, postData, privKey string
		want                              string
	}{
		{
			name:     "the worked example of the exchange's authentication guide",
			urlPath:  "/0/private/AddOrder",
			nonce:    "1616492376594",
			postData: "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
			privKey:  testPrivateKey,
			want:     "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
		},
		{
			name:     "a JSON body matches the independent reference",
			urlPath:  "/0/private/GetApiKeyInfo",
			nonce:    "1772627060998",
			postData: `{"nonce":1772627060998,"otp":"123456"}`,
			privKey:  testPrivateKey,
			want:     referenceSign("/0/private/GetApiKeyInfo", "1772627060998", []byte(`{"nonce":1772627060998,"otp":"123456"}`), testPrivateKey),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kraken.Sign(tt.urlPath, tt.nonce, tt.postData, tt.privKey)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got != tt.want {
				t.Errorf("Sign = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSign_changesWithEveryInput(t *testing.T) {
	base := [4]string{"/0/private/Balance", "1700000000000", `{"nonce":1700000000000}`, testPrivateKey}
	want, _ := kraken.Sign(base[0], base[1], base[2], base[3])
	for i, name := range []string{"path", "nonce", "body"} {
		t.Run("a different "+name+" gives a different signature", func(t *testing.T) {
			in := base
			in[i] += "1"
			got, err := kraken.Sign(in[0], in[1], in[2], in[3])
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got == want {
				t.Errorf("Sign with another %s = %q, the same as before", name, got)
			}
		})
	}
}

func TestSign_badPrivateKey(t *testing.T) {
	for _, key := range []string{"not base64!", testPrivateKey[:87], "kQH5HW/8p1uGOVjb gWA7FunAmGO8"} {
		t.Run("a key that is not base64 is refused without being echoed", func(t *testing.T) {
			_, err := kraken.Sign("/0/private/Balance", "1", "nonce=1", key)
			if !errors.Is(err, kraken.ErrMalformedKey) {
				t.Fatalf("Sign error = %v, want ErrMalformedKey", err)
			}
			if got := err.Error(); len(key) > 4 && contains(got, key) {
				t.Errorf("error %q echoes the key", got)
			}
		})
	}
}
