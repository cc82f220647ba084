package secrets

import "strings"

// Fake credentials are assembled at run time so the source holds no string a
// secret scanner would flag. Bodies are deterministic and varied (entropy
// above the gitleaks thresholds).

const (
	alnum  = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9gH1iJ3kL5mN7oP9qR1sT3uV5wX7yZ9"
	upper  = "Q3ZV7N2XKD4MRW6TBHJY5LCP"
	letter = "aBcDeFgHiJkLmNoPqRsTuVwXyZbCdEfGhIjKlMnOpQ"
	hexs   = "0f3a9c7e1b5d2f8a6c4e0b9d7f1a3c5e8b2d4f6a0c9e7b1d3f5a8c2e4b6d0f9a7c1e3b5d"
)

func body(cs string, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(cs)
	}
	return b.String()[:n]
}

var (
	fakeGitHub    = "gh" + "p_" + body(alnum, 36)
	fakeGitHubFG  = "github" + "_pat_" + body(alnum, 82)
	fakeGitLab    = "gl" + "pat-" + body(alnum, 20)
	fakeAWS       = "AK" + "IA" + body(upper, 16)
	fakeAWSDoc    = "AK" + "IAIOSFODNN7EXAMPLE"
	fakeSlack     = "xo" + "xb-" + "1234567890123-4567890123456-" + body(alnum, 24)
	fakeSlackHook = "https://hooks.slack.com/services/" + "T0A1B2C3D/" + "B0A1B2C3D/" + body(alnum, 24)
	fakeStripe    = "sk" + "_live_" + body(alnum, 24)
	fakeStripeT   = "sk" + "_test_" + body(alnum, 24)
	fakeGCP       = "AI" + "za" + body(alnum[10:], 35)
	fakeOpenAI    = "sk" + "-" + body(alnum, 20) + "T3Blbk" + "FJ" + body(alnum[7:], 20)
	fakeAnthropic = "sk" + "-ant-api03-" + body(alnum, 93) + "AA"
	fakeHF        = "hf" + "_" + body(letter, 34)
	fakeNPM       = "np" + "m_" + body(strings.ToLower(alnum), 36)
	fakePyPI      = "py" + "pi-AgEIcHlwaS5vcmc" + body(alnum, 60)
	fakeSendGrid  = "S" + "G." + body(alnum, 22) + "." + body(alnum[5:], 43)
	fakeDO        = "do" + "p_v1_" + body(hexs, 64)
	fakeVault     = "hv" + "s." + body(alnum, 95)
	fakeGrafana   = "gl" + "sa_" + body(alnum, 32) + "_" + body(hexs, 8)
	fakeTwilio    = "S" + "K" + body(hexs, 32)
	fakeJWT       = "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "ey" + "JzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	fakePEM       = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + body(alnum, 64) + "\n" + body(alnum[3:], 64) + "\n-----END RSA " + "PRIVATE KEY-----"
	fakePEMHeader = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"
	lowEntropyGH  = "gh" + "p_" + strings.Repeat("x", 36)
)
