package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"kechuang/internal/rules"
	"kechuang/internal/sheetio"
)

const assessUsage = "用法：kechuang assess --rules ID[,ID…|all] [--input facts.json|.csv|.xlsx] [--format json|text] [--rules-dir D]"

// rulesDir is the --rules-dir flag, else KECHUANG_RULES_DIR; "" is the
// built-in rule sets.
func rulesDir(env *Env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return env.Getenv("KECHUANG_RULES_DIR")
}

// runAssess: kechuang assess --rules ID [--input F] [--format json|text]
// [--rules-dir D]. One firm (a JSON object) or a batch (a JSON array, a CSV
// or xlsx sheet, one firm a row); standard input without --input. Bad input
// is an error naming the row and the field, and exit code 1.
func runAssess(_ context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("assess", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	ids := fs.String("rules", "", "规则集 id（逗号分隔，或 all）："+"sme、hnte、gazelle、unicorn、eaglet 及各项城市政策")
	input := fs.String("input", "", "企业事实文件（.json 一家或数组；.csv/.xlsx 每行一家）；默认读标准输入（JSON）")
	format := fs.String("format", "text", "输出格式：json 或 text")
	dir := fs.String("rules-dir", "", "规则文件目录（默认内置；亦可用 KECHUANG_RULES_DIR）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ids == "" || fs.NArg() > 0 {
		return errors.New(assessUsage)
	}
	if *format != "json" && *format != "text" {
		return fmt.Errorf("--format 应为 json 或 text，实际为 %q", *format)
	}
	sets, _, err := rules.OpenDir(rulesDir(env, *dir))
	if err != nil {
		return err
	}
	chosen, err := rules.SelectSets(sets, *ids)
	if err != nil {
		return err
	}
	firms, single, err := readFacts(env, *input)
	if err != nil {
		return err
	}
	results, err := rules.AssessAll(chosen, firms)
	if err != nil {
		return err
	}
	if *format == "json" {
		return rules.WriteJSON(env.Stdout, results, single)
	}
	for _, r := range results {
		writeResultText(env.Stdout, r)
	}
	return nil
}

// readFacts reads the firms; single is a lone JSON object.
func readFacts(env *Env, path string) ([]rules.Facts, bool, error) {
	var data []byte
	var err error
	if path == "" || path == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 256<<20))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("读取 %s：%v", path, err)
	}
	trim := bytes.TrimSpace(data)
	if strings.HasSuffix(strings.ToLower(path), ".json") || path == "" || path == "-" ||
		(len(trim) > 0 && (trim[0] == '{' || trim[0] == '[')) {
		firms, err := rules.ParseJSON(data)
		return firms, len(trim) > 0 && trim[0] == '{', err
	}
	f, err := sheetio.FormatOf("", path, data)
	if err != nil {
		return nil, false, err
	}
	var src sheetio.Rows
	if f == sheetio.XLSX {
		src, err = sheetio.NewXLSXReader(bytes.NewReader(data), "")
	} else {
		src, err = sheetio.NewCSVReader(bytes.NewReader(data))
	}
	if err != nil {
		return nil, false, err
	}
	defer src.Close()
	var rows [][]string
	for {
		cells, _, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, false, err
		}
		rows = append(rows, slices.Clone(cells))
	}
	firms, err := rules.ParseTable(rows)
	return firms, false, err
}

var verdictText = map[string]string{
	rules.Pass: "通过", rules.Fail: "未通过", rules.NotEligible: "不符合条件", rules.ExpertDependent: "取决于专家评分",
}

func writeResultText(w io.Writer, r *rules.Result) {
	who := r.Name
	if r.USCC != "" {
		who += "（" + r.USCC + "）"
	}
	fmt.Fprintf(w, "%s  %s  [%s]\n", r.RuleSet, who, r.Version)
	fmt.Fprintf(w, "  结论 verdict: %s %s", r.Verdict, verdictText[r.Verdict])
	if len(r.Missing) > 0 && r.Verdict != rules.Pass {
		fmt.Fprint(w, "（暂定：缺少事实，补充后可能改变 provisional）")
	}
	if r.ScoreMin != nil {
		if r.Score != nil {
			fmt.Fprintf(w, "；得分 score %d", *r.Score)
		} else {
			fmt.Fprintf(w, "；得分 score %d–%d", *r.ScoreMin, *r.ScoreMax)
		}
	}
	if r.AmountFen != nil {
		fmt.Fprintf(w, "；金额 amount %s", rules.Yuan(*r.AmountFen))
		if r.CapFen != nil {
			fmt.Fprintf(w, "（上限 cap %s）", rules.Yuan(*r.CapFen))
		}
	}
	fmt.Fprintln(w)
	mark := func(ok bool) string {
		if ok {
			return "✓"
		}
		return "✗"
	}
	for _, group := range []struct {
		title string
		cs    []rules.CheckResult
	}{{"条件 gates", r.Gates}, {"直接确认 routes", r.Routes}, {"条件 conditions", r.Conditions}} {
		for _, c := range group.cs {
			fmt.Fprintf(w, "  %s %s %s：%s\n", mark(c.Passed), c.ID, c.Label, c.Reason)
		}
	}
	for _, it := range r.Items {
		pts := fmt.Sprintf("%d–%d", it.Min, it.Max)
		if it.Points != nil {
			pts = fmt.Sprint(*it.Points)
		}
		val := it.Value
		if it.Band != "" && it.Band != it.Value {
			val += "（" + it.Band + "）"
		}
		fmt.Fprintf(w, "  · %s %s：%s → %s 分\n", it.ID, it.Label, val, pts)
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "  缺少 missing: %s\n", strings.Join(r.Missing, ", "))
	}
}

// runRules: kechuang rules test [--dir D] runs every rule file's cases of
// the directory (the built-in files without it); rules list names them.
func runRules(_ context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "test" && args[0] != "list") {
		return errors.New("用法：kechuang rules test [--dir D] | rules list [--dir D]")
	}
	fs := flag.NewFlagSet("rules "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dir := fs.String("dir", "", "规则文件目录（默认内置；亦可用 KECHUANG_RULES_DIR）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	sets, fsys, err := rules.OpenDir(rulesDir(env, *dir))
	if err != nil {
		return err
	}
	if args[0] == "list" {
		var ids []string
		for id := range sets {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			s := sets[id]
			for _, v := range s.Versions {
				to := v.EffectiveTo
				if to == "" {
					to = "…"
				}
				fmt.Fprintf(env.Stdout, "%-32s %s  %s  %s–%s  [%s]\n", id, s.Title, v.Version, v.EffectiveFrom, to, v.Certainty)
			}
		}
		return nil
	}
	reps, err := rules.RunCases(fsys, sets)
	if err != nil {
		return err
	}
	total, failed := 0, 0
	for _, r := range reps {
		total += r.Cases
		status := "ok"
		if len(r.Failures) > 0 {
			status = "FAIL"
		}
		fmt.Fprintf(env.Stdout, "%-4s %-32s %d 个用例 cases\n", status, r.RuleSet, r.Cases)
		for _, f := range r.Failures {
			failed++
			fmt.Fprintf(env.Stdout, "     ✗ %s: %s\n", f.Case, strings.Join(f.Problems, "; "))
		}
	}
	fmt.Fprintf(env.Stdout, "%d 个规则集，%d 个用例，%d 个失败\n", len(reps), total, failed)
	if failed > 0 {
		return fmt.Errorf("%d 个用例失败 (cases failed)", failed)
	}
	return nil
}
