package store

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

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

func (sqliteDialect) searchJoin(table, alias, ph string) (join, cond string) {
	return fmt.Sprintf(` JOIN (SELECT rowid AS sid, bm25(%[1]s_fts, 5.0, 1.0) AS score FROM %[1]s_fts WHERE %[1]s_fts MATCH %[2]s) s ON s.sid = %[3]s.id `,
		table, ph, alias), ""
}

// rankedPage: the window's rows carry their bm25 score from the join.
func (sqliteDialect) rankedPage(table, alias, join, where, _ string, window int, limit, offset string) string {
	return fmt.Sprintf(`SELECT id FROM (SELECT %[2]s.id AS id, s.score AS score, %[2]s.published_on AS pub FROM %[1]s %[2]s %[3]s %[4]s
		ORDER BY %[2]s.id DESC LIMIT %[5]d) c ORDER BY score, pub DESC, id DESC LIMIT %[6]s OFFSET %[7]s`, table, alias, join, where, window, limit, offset)
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

func (postgresDialect) searchJoin(_, alias, ph string) (join, cond string) {
	return "", fmt.Sprintf("(%[1]s.search_title || %[1]s.search_body) @@ %[2]s::tsquery", alias, ph)
}

// rankedPage: ts_rank reads the whole tsvector, so it runs on the
// window's rows only, after the LIMIT.
func (postgresDialect) rankedPage(table, alias, join, where, ph string, window int, limit, offset string) string {
	return fmt.Sprintf(`SELECT c.id FROM (SELECT %[2]s.id AS id FROM %[1]s %[2]s %[3]s %[4]s ORDER BY %[2]s.id DESC LIMIT %[5]d) c
		JOIN %[1]s r ON r.id = c.id ORDER BY ts_rank(r.search_title || r.search_body, %[8]s::tsquery) DESC, r.published_on DESC, r.id DESC
		LIMIT %[6]s OFFSET %[7]s`, table, alias, join, where, window, limit, offset, ph)
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
// gives the placeholder of the rendered query for rankedPage; all "" when
// the query has no term.
func (q *Q) searchClause(table, alias, typed string, arg func(any) string) (join, cond, ph string) {
	sq := search.ParseQuery(typed)
	if sq.Empty() {
		if textnorm.Key(typed) != "" {
			return "", "1 = 0", "" // only punctuation: nothing holds it as a word
		}
		return "", "", ""
	}
	ph = arg(q.s.dialect.renderQuery(sq))
	join, cond = q.s.dialect.searchJoin(table, alias, ph)
	return join, cond, ph
}

// searchWindow is how many matches a query ranks: the newest (by id) that
// pass the filters, as many as the capped count shows. Ranking every match
// of a frequent term (a fifth of the catalogue) costs a full read of its
// rows; a reader never pages past the 500th page.
const searchWindow = 10_000 + 1 // domain.ListCountCap + 1

// rankedIDs runs the ranked page query and returns the ids in order.
func (q *Q) rankedIDs(ctx context.Context, table, alias, join, where, ph string, args []any, per, offset int) ([]int64, error) {
	args = append(args, per, offset)
	query := q.s.dialect.rankedPage(table, alias, join, where, ph, searchWindow,
		fmt.Sprintf("$%d", len(args)-1), fmt.Sprintf("$%d", len(args)))
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
		join, cond, _ = q.searchClause("achievements", "a", typed, arg)
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

// postgres: flush the GIN index's pending list.
func (postgresDialect) optimizeSearch(ctx context.Context, w querier, table string) error {
	_, err := w.ExecContext(ctx, `SELECT gin_clean_pending_list('`+table+`_search'::regclass)`)
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
	return nil
}

// sqliteInsertTrigger is migration 0022's insert trigger of table.
func sqliteInsertTrigger(table string) string {
	return fmt.Sprintf(`CREATE TRIGGER %[1]s_fts_ai AFTER INSERT ON %[1]s BEGIN
  INSERT INTO %[1]s_fts (rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body);
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
	_, err := w.ExecContext(ctx, `CREATE INDEX `+table+`_search ON `+table+` USING gin ((search_title || search_body))`)
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
