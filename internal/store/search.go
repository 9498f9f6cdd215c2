package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// The catalogue's full-text index (migration 0022). The tokens of a record
// (internal/search) are written with the record, in the same statement, to
// two columns, search_title and search_body, whose type and index are the
// dialect's: on SQLite plain token strings behind an external-content FTS5
// table kept current by triggers; on PostgreSQL tsvectors (title tokens
// weighted A) with a GIN index over search_all, their concatenation with
// the filter tokens (migration 0026). A query is
// rendered by the dialect (an FTS5 MATCH or a tsquery) and joined by
// searchJoin; its newest matches (on PostgreSQL walked by id buckets,
// migration 0030: newestWindow) are ranked with the title matches first,
// then by publication date and id (searchPage).

// Filter tokens (migration 0026): a record's search_filter column holds
// its filter values as index tokens, written from the record's columns in
// the statement that writes them (so a change of status or chain is
// re-tokenised in its own transaction). A search narrowed by a filter adds
// the filter's tokens to its match, so that the index intersects their
// doclists with the query's instead of the walk reading every match's row
// to test the filter (a frequent term on one chain read all its matches).
// The WHERE still tests the columns: the tokens only narrow the walk. They
// begin with §, which is neither a letter nor a digit, so no typed query
// (internal/search: runs of letters and digits) produces or prefixes one;
// the migration computes the same tokens in SQL for existing rows.

// statusToken is the filter token of a status.
func statusToken(status string) string { return "§s" + status }

// chainToken is the filter token of a chain code (hex: a code is any text,
// a token only letters and digits).
func chainToken(code string) string { return "§c" + hex.EncodeToString([]byte(code)) }

// yearToken is the filter token of a year of publication ("" when never
// published): the year of published_on LIKE 'YYYY-%'.
func yearToken(publishedOn string) string {
	if len(publishedOn) >= 5 && publishedOn[4] == '-' {
		return "§y" + publishedOn[:4]
	}
	return "§y"
}

// achievementFilterTokens are what search_filter holds of an achievement.
func achievementFilterTokens(x *domain.Achievement) []string {
	return []string{statusToken(string(x.Status)), chainToken(x.ChainCode), yearToken(x.PublishedOn)}
}

// needFilterTokens are what search_filter holds of a need.
func needFilterTokens(x *domain.Need) []string {
	return []string{statusToken(string(x.Status)), chainToken(x.ChainCode)}
}

// searchTables are the tables carrying a search index, with how to read
// what their index is built from (reindex).
var searchTables = map[string]func(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, [][]string, error){
	"achievements": achievementDocs,
	"needs":        needDocs,
}

// sqlite: the tokens, space separated (the FTS5 ascii tokenizer splits on
// ASCII punctuation and space only, so a Chinese bigram is one token).
func (sqliteDialect) searchValues(d search.Doc) (title, body any) {
	return strings.Join(d.Title, " "), strings.Join(d.Body, " ")
}

// sqlite: the join is for the generic list query (a search sorted by a
// column); the count and the ranked page walk the index itself, newest
// first (newestMatches).
func (sqliteDialect) searchJoin(table, alias, match string) (join, cond string) {
	return fmt.Sprintf(` JOIN %[1]s_fts ON %[1]s_fts.rowid = %[2]s.id `, table, alias), fmt.Sprintf("%s_fts MATCH %s", table, match)
}

// sqlite: the filter tokens, space separated.
func (sqliteDialect) filterValue(tokens []string) any { return strings.Join(tokens, " ") }

// sqlite: one MATCH of the query AND each filter token (bm25 gives the
// filter column no weight, so the rank is the query's).
func (d sqliteDialect) searchParams(q search.Query, filters []string, arg func(any) string) (match, rank string) {
	s := d.renderQuery(q)
	if len(filters) > 0 {
		s = "(" + s + ")"
		for _, f := range filters {
			s += ` AND "` + f + `"`
		}
	}
	ph := arg(s)
	return ph, ph
}

// matchFrom: the FTS5 table drives (CROSS JOIN keeps it outer) and yields
// its matches by rowid descending from its doclists, an order SQLite takes
// as given (matchOrder), so a LIMIT stops the walk early: the cost is the
// rows read, not the matches. Each match's filter columns are read from
// the narrow <table>_match index (migration 0023), not from the wide row.
func (sqliteDialect) matchFrom(table, alias string) (from, order string) {
	return fmt.Sprintf(`%[1]s_fts CROSS JOIN %[1]s %[2]s INDEXED BY %[1]s_match ON %[2]s.id = %[1]s_fts.rowid`, table, alias), table + "_fts.rowid"
}

// rankedWindow: the walk reads the filters and the publication date from
// the narrow index; whether a title holds the query is a second, short
// walk (titleMatches). bm25 is not used: its first call in a statement
// counts the rows matching each phrase of the query in the whole index
// (its IDF), which for a frequent term or a phrase of frequent bigrams
// cost more than the walk itself (docs/search.md).
func (d sqliteDialect) rankedWindow(table, alias, where, _ string, n int) string {
	return newestMatches(d, table, alias, where, fmt.Sprintf("%[1]s.id, 0, COALESCE(%[1]s.published_on, '')", alias)) +
		fmt.Sprintf(" LIMIT %d", n)
}

// titleMatches: the search's own MATCH argument restricted to the title
// and filter columns (the filter tokens are in search_filter; no typed
// term matches one), walked only between the window's ids.
func (sqliteDialect) titleMatches(table string) string {
	return fmt.Sprintf(`SELECT rowid FROM %[1]s_fts WHERE %[1]s_fts MATCH '{search_title search_filter} : (' || $1 || ')' AND rowid BETWEEN $2 AND $3`, table)
}

func (sqliteDialect) renderQuery(q search.Query) string {
	term := func(t search.Term) string {
		s := `"` + strings.Join(t.Phrase, " ") + `"`
		if t.Prefix {
			s += "*"
		}
		if len(t.Words) > 0 {
			s = "(" + s + ` OR ("` + strings.Join(t.Words, `" AND "`) + `"))`
		}
		return s
	}
	var must []string
	for _, t := range q.Terms {
		must = append(must, term(t))
	}
	return strings.Join(must, " AND ")
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

// tsQuoter escapes a lexeme of a tsvector or tsquery literal, built once
// (a Replacer built per token cost an allocation of its byte table for each
// of the hundreds of tokens of every row a bulk load writes).
var tsQuoter = strings.NewReplacer(`\`, `\\`, `'`, `''`)

func tsQuote(t string) string {
	if !strings.ContainsAny(t, `\'`) {
		return "'" + t + "'"
	}
	return "'" + tsQuoter.Replace(t) + "'"
}

func (postgresDialect) searchJoin(_, alias, match string) (join, cond string) {
	return "", fmt.Sprintf("%s.search_all @@ %s", alias, match)
}

// postgres: the filter tokens as lexemes without positions.
func (postgresDialect) filterValue(tokens []string) any {
	q := make([]string, len(tokens))
	for i, t := range tokens {
		q[i] = tsQuote(t)
	}
	return strings.Join(q, " ")
}

// postgres: the query and the filter tokens are two tsqueries ANDed by the
// server (&&), so that ts_rank ranks by the query alone: a lexeme of the
// AND that a document lacks would change its rank.
func (d postgresDialect) searchParams(q search.Query, filters []string, arg func(any) string) (match, rank string) {
	rank = arg(d.renderQuery(q))
	if len(filters) == 0 {
		return rank + "::tsquery", rank
	}
	fs := make([]string, len(filters))
	for i, f := range filters {
		fs[i] = tsQuote(f)
	}
	return "(" + rank + "::tsquery && " + arg(strings.Join(fs, " & ")) + "::tsquery)", rank
}

// matchFrom: the planner chooses between the GIN index (a rare term) and
// the primary key backwards with the match as a filter (a frequent one,
// stopped early by the LIMIT); a ranked window's walk narrows each of its
// queries to a span of id buckets first (newestWindow).
func (postgresDialect) matchFrom(table, alias string) (from, order string) {
	return table + " " + alias, alias + ".id"
}

// rankedWindow: whether the title holds the query is tested on the row
// the walk has just read (search_title, small and in the row).
func (d postgresDialect) rankedWindow(table, alias, where, ph string, n int) string {
	return newestMatches(d, table, alias, where, fmt.Sprintf("%[1]s.id, CASE WHEN %[1]s.search_title @@ %[2]s::tsquery THEN 1 ELSE 0 END, COALESCE(%[1]s.published_on, '')", alias, ph)) +
		fmt.Sprintf(" LIMIT %d", n)
}

func (postgresDialect) titleMatches(string) string { return "" }

func (sqliteDialect) idBucketBits() int { return 0 } // FTS5 walks a doclist by rowid, newest first

// postgres: search_all holds §b<id >> 13> (migration 0030).
func (postgresDialect) idBucketBits() int { return 13 }

// bucketToken is the lexeme of the id bucket b (migration 0030).
func bucketToken(b int64) string { return "§b" + strconv.FormatInt(b, 10) }

// maxBucketSpan caps how many buckets one query of newestWindow asks for
// (the OR of their lexemes in its tsquery).
const maxBucketSpan = 64

func (postgresDialect) renderQuery(q search.Query) string {
	term := func(t search.Term) string {
		if t.Prefix {
			return tsQuote(t.Phrase[0]) + ":*"
		}
		parts := make([]string, len(t.Phrase))
		for i, p := range t.Phrase {
			parts[i] = tsQuote(p)
		}
		s := "(" + strings.Join(parts, " <-> ") + ")"
		if len(t.Words) > 0 {
			ws := make([]string, len(t.Words))
			for i, w := range t.Words {
				ws[i] = tsQuote(w)
			}
			s = "(" + s + " | (" + strings.Join(ws, " & ") + "))"
		}
		return s
	}
	var must []string
	for _, t := range q.Terms {
		must = append(must, term(t))
	}
	return strings.Join(must, " & ")
}

// searchClause restricts alias (a row of table) to the matches of the
// typed query that hold every one of filters (filter tokens of the
// filter's other conditions, which the WHERE tests too: they let the index
// intersect instead of the walk testing every match), by a join or a
// condition of the WHERE (one may be ""), and gives the placeholder of the
// rendered query for rankedPage; all "" when the query has no term.
func (q *Q) searchClause(table, alias, typed string, filters []string, arg func(any) string) (join, cond, ph string) {
	sq := search.ParseQuery(typed)
	if sq.Empty() {
		if textnorm.Key(typed) != "" {
			return "", "1 = 0", "" // only punctuation: nothing holds it as a word
		}
		return "", "", ""
	}
	match, ph := q.s.dialect.searchParams(sq, filters, arg)
	join, cond = q.s.dialect.searchJoin(table, alias, match)
	return join, cond, ph
}

// searchWindow is how many matches a query ranks: the newest (by id)
// that pass the filters. Reading the matches is the cost of a search, and
// a frequent term matches a fifth of a catalogue of a million, so ranking
// every match would cost a read of 200,000 rows per page. The trade-off:
// among the matches older than the newest searchWindow, a better match is
// not raised above the window; those matches follow the window, newest
// first (past the 50th page of 20, which the store serves but the web and
// the API do not ask: a search's count stops at the window,
// domain.SearchCountCap, and its pages end there). A rare term (fewer
// matches than the window) is ranked in full. 1,000 is 50 pages of 20,
// beyond what a reader pages through, and keeps the ranking under a few
// milliseconds on both databases at a million achievements (kechuang bench
// chain; docs/search.md).
const searchWindow = domain.SearchCountCap

// newestMatches is the query of cols of the rows of table (as alias)
// matching where (which holds searchJoin's condition), newest (by id)
// first, without a LIMIT: the walk that a ranked window and a page past
// the window stop early.
func newestMatches(d Dialect, table, alias, where, cols string) string {
	from, order := d.matchFrom(table, alias)
	return fmt.Sprintf(`SELECT %s FROM %s %s ORDER BY %s DESC`, cols, from, where, order)
}

// searchCount counts the matches of a search through the dialect's walk,
// in no order, capped at domain.SearchCountCap+1 (the ranked window and one
// more: "more than 1000"), a tenth of a list's cap. A page within the
// window takes its count from its own walk (searchPage); this is for a
// search sorted by a column and a page past the window.
func (q *Q) searchCount(ctx context.Context, table, alias, where string, args []any) (int, error) {
	var total int
	from, _ := q.s.dialect.matchFrom(table, alias)
	err := q.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM %s %s LIMIT %d) capped`,
		from, where, domain.SearchCountCap+1), args...).Scan(&total)
	if err != nil {
		return 0, fmt.Errorf("store: count %s: %w", table, err)
	}
	return total, nil
}

// windowRow is one match of a search's walk: rankedWindow's columns.
type windowRow struct {
	id    int64
	title int // 1: the title holds the query
	pub   string
}

// searchPage returns the ids of one page of a ranked search (positions within searchWindow ranked, positions after it newest first)
// and the search's count, capped at domain.SearchCountCap+1. The window's
// ranking: the matches whose title holds the query first, then by
// publication date, newest first, then by id, newest first; the same on
// both databases. A page within the window costs one walk: the newest
// SearchCountCap+1 matches, which are the count (the cap is the window)
// and, ranked here, the page; on SQLite a second walk over the window's
// ids says which titles hold the query.
func (q *Q) searchPage(ctx context.Context, table, alias, where, ph string, args []any, per, offset int) ([]int64, int, error) {
	if offset >= searchWindow {
		total, err := q.searchCount(ctx, table, alias, where, args)
		if err != nil {
			return nil, 0, err
		}
		ids, err := q.newestAfterWindow(ctx, table, alias, where, args, per, offset)
		return ids, total, err
	}
	win, err := q.newestWindow(ctx, table, alias, where, ph, args, domain.SearchCountCap+1)
	if err != nil {
		return nil, 0, err
	}
	total := len(win)
	win = win[:min(len(win), searchWindow)]
	if tq := q.s.dialect.titleMatches(table); tq != "" && len(win) > 0 {
		rank, err := argOf(ph, args)
		if err != nil {
			return nil, 0, err
		}
		if err := q.markTitles(ctx, table, tq, rank, win); err != nil {
			return nil, 0, err
		}
	}
	slices.SortFunc(win, func(a, b windowRow) int {
		if c := cmp.Compare(b.title, a.title); c != 0 {
			return c
		}
		if c := cmp.Compare(b.pub, a.pub); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	var ids []int64
	for _, r := range win[min(offset, len(win)):min(offset+per, len(win))] {
		ids = append(ids, r.id)
	}
	if offset+per > searchWindow && total > searchWindow { // the page straddles the window's end
		more, err := q.newestAfterWindow(ctx, table, alias, where, args, offset+per-searchWindow, searchWindow)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, more...)
	}
	return ids, total, nil
}

// newestWindow is the newest n matches of where (rankedWindow's rows,
// newest first). Where the dialect has id buckets (PostgreSQL), it asks
// for them a span of buckets at a time, newest first (one bucket, then
// two, four, ... up to maxBucketSpan), each query ANDing the search with
// the OR of its buckets' lexemes and its id range: the GIN index returns
// only the matches in those ids, where one query for the newest n made
// the planner either fetch and sort every match of a rare term (the
// bitmap of all 12,841 matches of 有限元 at a million, from as many heap
// pages) or walk the primary key backwards testing every row of a
// frequent one. A frequent term ends in the first span or two; a rare one
// takes about log2 of the table's buckets queries, each of which reads
// only the term's postings and the matches in its span (docs/search.md).
func (q *Q) newestWindow(ctx context.Context, table, alias, where, ph string, args []any, n int) ([]windowRow, error) {
	bits := q.s.dialect.idBucketBits()
	if bits == 0 {
		return q.windowRows(ctx, table, q.s.dialect.rankedWindow(table, alias, where, ph, n), args, nil)
	}
	var lo, hi sql.NullInt64
	if err := q.r.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM `+table).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	if !hi.Valid {
		return nil, nil
	}
	bottom := lo.Int64 >> bits
	var win []windowRow
	k := len(args)
	spanWhere := where + fmt.Sprintf(" AND %[1]s.search_all @@ $%[2]d::tsquery AND %[1]s.id BETWEEN $%[3]d AND $%[4]d", alias, k+1, k+2, k+3)
	a := append(args[:k:k], nil, nil, nil)
	toks := make([]string, 0, maxBucketSpan)
	for b, span := hi.Int64>>bits, int64(1); b >= bottom && len(win) < n; span = min(span*2, maxBucketSpan) {
		from := max(b-span+1, bottom)
		toks = toks[:0]
		for x := b; x >= from; x-- {
			toks = append(toks, tsQuote(bucketToken(x)))
		}
		a[k], a[k+1], a[k+2] = strings.Join(toks, " | "), from<<bits, (b+1)<<bits-1
		var err error
		if win, err = q.windowRows(ctx, table, q.s.dialect.rankedWindow(table, alias, spanWhere, ph, n-len(win)), a, win); err != nil {
			return nil, err
		}
		b = from - 1
	}
	return win, nil
}

// windowRows appends to win the rows of the query (rankedWindow's columns).
func (q *Q) windowRows(ctx context.Context, table, query string, args []any, win []windowRow) ([]windowRow, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r windowRow
		if err := rows.Scan(&r.id, &r.title, &r.pub); err != nil {
			return nil, fmt.Errorf("store: search %s: %w", table, err)
		}
		win = append(win, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	return win, nil
}

// markTitles sets title on the rows of win (newest first) whose title
// holds the search (tq: the dialect's titleMatches, rank: the search's
// rank argument), walking the title matches between the window's ids.
func (q *Q) markTitles(ctx context.Context, table, tq string, rank any, win []windowRow) error {
	hits, err := q.ids(ctx, table, tq, []any{rank, win[len(win)-1].id, win[0].id})
	if err != nil {
		return err
	}
	at := make(map[int64]int, len(win))
	for i, r := range win {
		at[r.id] = i
	}
	for _, id := range hits {
		if i, ok := at[id]; ok {
			win[i].title = 1
		}
	}
	return nil
}

// argOf is the argument of placeholder ph ("$3") in args.
func argOf(ph string, args []any) (any, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(ph, "$"))
	if err != nil || n < 1 || n > len(args) {
		return nil, fmt.Errorf("store: placeholder %q is not one of the %d arguments", ph, len(args)) // a bug in the query's building, never input
	}
	return args[n-1], nil
}

// newestAfterWindow is n matches from position from (at or past the
// window), newest first, unranked.
func (q *Q) newestAfterWindow(ctx context.Context, table, alias, where string, args []any, n, from int) ([]int64, error) {
	a := append(args[:len(args):len(args)], n, from)
	query := newestMatches(q.s.dialect, table, alias, where, alias+".id") + fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(a)-1, len(a))
	return q.ids(ctx, table, query, a)
}

func (q *Q) ids(ctx context.Context, table, query string, args []any) ([]int64, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// idList is the SQL list of ids (integers, never user text).
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
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

// Reindex recomputes the search columns (tokens and filter tokens) of every row of every indexed
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
				ids, docs, filters, err := searchTables[table](ctx, q, after, batch)
				if err != nil {
					return err
				}
				for i, id := range ids {
					t, b := s.dialect.searchValues(docs[i])
					if _, err := q.w.ExecContext(ctx, `UPDATE `+table+` SET search_title = $1, search_body = $2, search_filter = $3 WHERE id = $4`,
						t, b, s.dialect.filterValue(filters[i]), id); err != nil {
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

func achievementDocs(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, [][]string, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+achievementReadCols+achievementFrom+`WHERE a.id > $1 ORDER BY a.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: reindex achievements: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var docs []search.Doc
	var filters [][]string
	for rows.Next() {
		x, err := scanAchievement(rows)
		if err != nil {
			return nil, nil, nil, err
		}
		ids = append(ids, x.ID)
		docs = append(docs, AchievementDoc(x))
		filters = append(filters, achievementFilterTokens(x))
	}
	return ids, docs, filters, rows.Err()
}

func needDocs(ctx context.Context, q *Q, after int64, limit int) ([]int64, []search.Doc, [][]string, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+needReadCols+needFrom+`WHERE n.id > $1 ORDER BY n.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: reindex needs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var docs []search.Doc
	var filters [][]string
	for rows.Next() {
		x, err := scanNeed(rows)
		if err != nil {
			return nil, nil, nil, err
		}
		ids = append(ids, x.ID)
		docs = append(docs, needDoc(x))
		filters = append(filters, needFilterTokens(x))
	}
	return ids, docs, filters, rows.Err()
}

// AchievementMatches lists, ascending, the ids of every achievement
// (whatever its status) that a query matches: by the index, or by the
// LIKE scan of search_text when naive (the benchmark's equivalence check).
func (q *Q) AchievementMatches(ctx context.Context, typed string, naive bool) ([]int64, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var join string
	conds := []string{"1 = 1"}
	if naive {
		for _, w := range strings.Fields(textnorm.Key(typed)) {
			conds = append(conds, `a.search_text LIKE `+arg(likePattern(w))+` ESCAPE '\'`)
		}
	} else {
		var cond string
		join, cond, _ = q.searchClause("achievements", "a", typed, nil, arg)
		if cond != "" {
			conds = append(conds, cond)
		}
	}
	rows, err := q.r.QueryContext(ctx, `SELECT a.id FROM achievements a `+join+` WHERE `+strings.Join(conds, " AND ")+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: achievement matches: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// sqlite: merge the FTS5 segments of a bulk load into one b-tree.
func (sqliteDialect) optimizeSearch(ctx context.Context, w querier, table string) error {
	_, err := w.ExecContext(ctx, `INSERT INTO `+table+`_fts (`+table+`_fts) VALUES ('optimize')`)
	return err
}

// postgres: flush the GIN index's pending list, and vacuum the table (what
// autovacuum does after a bulk load, done now: a search's first reads of
// the new rows would otherwise write their hint bits).
func (postgresDialect) optimizeSearch(ctx context.Context, w querier, table string) error {
	if _, err := w.ExecContext(ctx, `SELECT gin_clean_pending_list('`+table+`_search'::regclass)`); err != nil {
		return err
	}
	_, err := w.ExecContext(ctx, `VACUUM `+table)
	return err
}

// Analyze compacts the search indexes and refreshes the planner's
// statistics, after a bulk load (the benchmark, a reindex).
func (s *Store) Analyze(ctx context.Context) error {
	for _, table := range []string{"achievements", "needs"} {
		if err := s.dialect.optimizeSearch(ctx, s.w, table); err != nil {
			return fmt.Errorf("store: optimise the search index of %s: %w", table, err)
		}
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return s.dialect.afterBulk(ctx, s.w)
}

// sqlite: copy the WAL of a bulk load (gigabytes: the index rebuilt and
// optimised) into the database and truncate it; until then every read of
// a page it holds goes through the WAL's hash index and file, not the
// mapped database.
func (sqliteDialect) afterBulk(ctx context.Context, w querier) error {
	_, err := w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

func (postgresDialect) afterBulk(context.Context, querier) error { return nil }

// sqliteInsertTrigger is migration 0026's insert trigger of table.
func sqliteInsertTrigger(table string) string {
	return fmt.Sprintf(`CREATE TRIGGER %[1]s_fts_ai AFTER INSERT ON %[1]s BEGIN
  INSERT INTO %[1]s_fts (rowid, search_title, search_body, search_filter) VALUES (new.id, new.search_title, new.search_body, new.search_filter);
END`, table)
}

func (sqliteDialect) suspendSearch(ctx context.Context, w querier, table string) error {
	_, err := w.ExecContext(ctx, `DROP TRIGGER IF EXISTS `+table+`_fts_ai`)
	return err
}

func (sqliteDialect) resumeSearch(ctx context.Context, w querier, table string) error {
	if _, err := w.ExecContext(ctx, `INSERT INTO `+table+`_fts (`+table+`_fts) VALUES ('rebuild')`); err != nil {
		return err
	}
	_, err := w.ExecContext(ctx, sqliteInsertTrigger(table))
	return err
}

func (postgresDialect) suspendSearch(ctx context.Context, w querier, table string) error {
	_, err := w.ExecContext(ctx, `DROP INDEX IF EXISTS `+table+`_search`)
	return err
}

func (postgresDialect) resumeSearch(ctx context.Context, w querier, table string) error {
	if _, err := w.ExecContext(ctx, `SET maintenance_work_mem = '1GB'`); err != nil {
		return err
	}
	_, err := w.ExecContext(ctx, `CREATE INDEX `+table+`_search ON `+table+` USING gin (search_all)`)
	w.ExecContext(ctx, `RESET maintenance_work_mem`)
	return err
}

// BulkLoad runs load with the search indexes suspended and rebuilds them
// in one pass afterwards (kechuang bench chain; a large import). Searches
// during load miss the new rows; nothing else changes.
func (s *Store) BulkLoad(ctx context.Context, load func() error) error {
	for _, table := range []string{"achievements", "needs"} {
		if err := s.dialect.suspendSearch(ctx, s.w, table); err != nil {
			return fmt.Errorf("store: suspend the search index of %s: %w", table, err)
		}
	}
	err := load()
	for _, table := range []string{"achievements", "needs"} {
		if e := s.dialect.resumeSearch(ctx, s.w, table); e != nil && err == nil {
			err = fmt.Errorf("store: rebuild the search index of %s: %w", table, e)
		}
	}
	return err
}

// MarkEmptySearchIndexes records the current tokeniser version for the
// indexes of tables without rows (after the migrations of a new database:
// there is nothing to reindex, and every row written from now on carries
// current tokens).
func (s *Store) MarkEmptySearchIndexes(ctx context.Context) error {
	for _, table := range []string{"achievements", "needs"} {
		if _, err := s.w.ExecContext(ctx, `UPDATE search_index SET version = $1 WHERE name = $2 AND NOT EXISTS (SELECT 1 FROM `+table+`)`,
			search.Version, table); err != nil {
			return fmt.Errorf("store: search index version: %w", err)
		}
	}
	return nil
}

// parallel runs fn(0..n-1) on every CPU.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
