package secrets

import "strings"

// reConnString finds the unquoted password of a connection string, a
// `;`-separated list of key=value (ADO.NET, ODBC, JDBC for SQL Server):
// `Server=db;User Id=sa;Password=Kq2Lm3Np4Rs5;`. The `;` before or after
// it keeps prose out.
var reConnString = lazy(`(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;"'\n]+);|;\s*(?:password|pwd)\s*=\s*([^;"'\n]+)$`)

// connStringPassword reports a literal password in a connection string;
// one made of interpolation is not a literal.
func connStringPassword(s string) bool {
	if !strings.Contains(s, ";") || !strings.Contains(s, "=") {
		return false
	}
	for _, m := range reConnString.get().FindAllStringSubmatch(s, 8) {
		if v := strings.TrimSpace(m[1] + m[2]); !hasInterp(v) && inlineValueOK(v) {
			return true
		}
	}
	return false
}
