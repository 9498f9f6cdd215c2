package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// The catalogue's full-text index (migration 0022). The tokens of a record
// (internal/search) are written with the record, in the same statement, to
// two columns, search_title and search_body, whose type and index are the
// dialect's: on SQLite plain token strings behind an external-content FTS5
// table kept current by triggers; on PostgreSQL tsvectors (title tokens
// weighted A) with a GIN index over their concatenation. A query is
// rendered by the dialect (an FTS5 MATCH or a tsquery) and joined by
// searchJoin; it ranks by relevance (title matches first), then by
// publication date.

// searchTables are the tables carrying a search index, with how to read
// what their index is built from (reindex).
var searchTables = map[string]func(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, error){
	"achievements": achievementDocs,
	"needs":        needDocs,
}

// sqlite: the tokens, space separated (the FTS5 ascii tokenizer splits on
// ASCII punctuation and space only, so a Chinese bigram is one token).
func (sqliteDialect) searchValues(d search.Doc) (title, body any) {
	return strings.Join(d.Title, " "), strings.Join(d.Body, " ")
}

func (sqliteDialect) searchJoin(table, alias, ph string) (join, cond, score string) {
	return fmt.Sprintf(` JOIN (SELECT rowid AS sid, bm25(%[1]s_fts, 5.0, 1.0) AS score FROM %[1]s_fts WHERE %[1]s_fts MATCH %[2]s) s ON s.sid = %[3]s.id `,
		table, ph, alias), "", "s.score"
}

func (sqliteDialect) renderQuery(q search.Query) string {
	term := func(t search.Term) string {
		s := `"` + strings.Join(t.Phrase, " ") + `"`
		if t.Prefix {
			s += "*"
		}
		return s
	}
	var must []string
	for _, t := range q.Terms {
		must = append(must, term(t))
	}
	out := strings.Join(must, " AND ")
	if len(q.Boost) > 0 {
		opt := []string{must[0]}
		for _, w := range q.Boost {
			opt = append(opt, `"`+w+`"`)
		}
		out = "(" + out + ") AND (" + strings.Join(opt, " OR ") + ")"
	}
	return out
}

// postgres: tsvector literals with positions (so a bigram phrase matches
// only consecutive bigrams), the title's weighted A; parsed by the
// tsvector input function, never by a text-search parser, so the tokens
// are exactly ours whatever the server's locale.
func (postgresDialect) searchValues(d search.Doc) (title, body any) {
	return tsvectorLiteral(d.Title, "A"), tsvectorLiteral(d.Body, "")
}

// maxTSPos is the largest position a tsvector holds; later tokens share it.
const maxTSPos = 16383

func tsvectorLiteral(toks []string, weight string) string {
	pos := map[string][]int{}
	var order []string
	for i, t := range toks {
		p := min(i+1, maxTSPos)
		if _, ok := pos[t]; !ok {
			order = append(order, t)
		}
		ps := pos[t]
		if len(ps) < 256 && (len(ps) == 0 || ps[len(ps)-1] != p) { // a lexeme keeps at most 256 positions
			pos[t] = append(ps, p)
		}
	}
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tsQuote(t))
		b.WriteByte(':')
		for j, p := range pos[t] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
			b.WriteString(weight)
		}
	}
	return b.String()
}

func tsQuote(t string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + "'"
}

func (postgresDialect) searchJoin(_, alias, ph string) (join, cond, score string) {
	vec := fmt.Sprintf("(%[1]s.search_title || %[1]s.search_body)", alias)
	return "", fmt.Sprintf("%s @@ %s::tsquery", vec, ph), fmt.Sprintf("ts_rank(%s, %s::tsquery) DESC", vec, ph)
}

func (postgresDialect) renderQuery(q search.Query) string {
	term := func(t search.Term) string {
		if t.Prefix {
			return tsQuote(t.Phrase[0]) + ":*"
		}
		parts := make([]string, len(t.Phrase))
		for i, p := range t.Phrase {
			parts[i] = tsQuote(p)
		}
		return "(" + strings.Join(parts, " <-> ") + ")"
	}
	var must []string
	for _, t := range q.Terms {
		must = append(must, term(t))
	}
	out := strings.Join(must, " & ")
	if len(q.Boost) > 0 {
		opt := []string{must[0]}
		for _, w := range q.Boost {
			opt = append(opt, tsQuote(w))
		}
		out = "(" + out + ") & (" + strings.Join(opt, " | ") + ")"
	}
	return out
}

// searchClause restricts alias (a row of table) to the matches of the
// typed query, by a join or a condition of the WHERE (one may be ""), and
// gives the ORDER BY of relevance then publication date; all "" when the
// query has no term.
func (q *Q) searchClause(table, alias, typed string, arg func(any) string) (join, cond, order string) {
	sq := search.ParseQuery(typed)
	if sq.Empty() {
		if textnorm.Key(typed) != "" {
			return "", "1 = 0", "" // only punctuation: nothing holds it as a word
		}
		return "", "", ""
	}
	join, cond, score := q.s.dialect.searchJoin(table, alias, arg(q.s.dialect.renderQuery(sq)))
	return join, cond, fmt.Sprintf("%s, %s.published_on DESC, %s.id DESC", score, alias, alias)
}

// SearchIndexVersion is the tokeniser version the index of table was last
// built with (0: never, as after migration 0022).
func (q *Q) SearchIndexVersion(ctx context.Context, table string) (int, error) {
	var v int
	if err := q.r.QueryRowContext(ctx, `SELECT version FROM search_index WHERE name = $1`, table).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: search index version of %s: %w", table, err)
	}
	return v, nil
}

// Reindex recomputes the search columns of every row of every indexed
// table whose index is older than search.Version (all of them when force),
// in transactions of batch rows, and records the version. It returns the
// rows written.
func (s *Store) Reindex(ctx context.Context, force bool, batch int) (int, error) {
	if batch <= 0 {
		batch = 500
	}
	total := 0
	for _, table := range []string{"achievements", "needs"} {
		v, err := s.SearchIndexVersion(ctx, table)
		if err != nil {
			return total, err
		}
		if v == search.Version && !force {
			continue
		}
		var after int64
		for {
			n := 0
			err := s.InTx(ctx, func(q *Q) error {
				ids, docs, err := searchTables[table](ctx, q, after, batch)
				if err != nil {
					return err
				}
				for i, id := range ids {
					t, b := s.dialect.searchValues(docs[i])
					if _, err := q.w.ExecContext(ctx, `UPDATE `+table+` SET search_title = $1, search_body = $2 WHERE id = $3`, t, b, id); err != nil {
						return fmt.Errorf("store: reindex %s %d: %w", table, id, err)
					}
					after = id
				}
				n = len(ids)
				return nil
			})
			if err != nil {
				return total, err
			}
			total += n
			if n < batch {
				break
			}
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE search_index SET version = $1 WHERE name = $2`, search.Version, table); err != nil {
			return total, fmt.Errorf("store: search index version: %w", err)
		}
	}
	return total, nil
}

func achievementDocs(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+achievementReadCols+achievementFrom+`WHERE a.id > $1 ORDER BY a.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: reindex achievements: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var docs []search.Doc
	for rows.Next() {
		x, err := scanAchievement(rows)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, x.ID)
		docs = append(docs, AchievementDoc(x))
	}
	return ids, docs, rows.Err()
}

func needDocs(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+needReadCols+needFrom+`WHERE n.id > $1 ORDER BY n.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: reindex needs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var docs []search.Doc
	for rows.Next() {
		x, err := scanNeed(rows)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, x.ID)
		docs = append(docs, needDoc(x))
	}
	return ids, docs, rows.Err()
}
