package achievementio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

var testLookup = &Lookup{Chains: []domain.Chain{{Code: "robot", Name: "机器人"}, {Code: "ic", Name: "集成电路"}},
	ChainCodes: []string{"robot", "ic"}, Rules: domain.DefaultAchievementRules()}

func sample() []*domain.Achievement {
	return []*domain.Achievement{{
		ID: 7, Title: "高性能镁合金板材异步轧制技术", Abstract: "本成果提出一种镁合金板材异步轧制工艺，通过控制轧制速比与温度，实现强度与成形性能同步提升。",
		Keywords: []string{"镁合金", "异步轧制"}, Team: []domain.TeamMember{{Name: "王明", Title: "教授", Leader: true}, {Name: "李华"}},
		Discipline: "材料科学与工程", ChainCode: "robot", TRL: 6, TRLEvidence: "中试线运行三个月", Stage: "pilot",
		IP:      []domain.IPRight{{Type: "invention", Number: "ZL202110000001.X", Title: "一种轧制方法"}, {Type: "know_how"}},
		Funding: "fiscal", Modes: []string{"license", "equity"}, AskingFen: 123_456_78,
		Empowerment: &domain.Empowerment{Kind: "ownership", TeamPermille: 625, UnitPermille: 375, AgreementOn: "2021-06-01", PublicityFrom: "2021-05-06", PublicityTo: "2021-05-20"},
	}, {
		ID: 8, Title: "工业机器人视觉标定方法", Abstract: "一种面向工业机器人的手眼标定方法，标定精度优于零点一毫米，已在三家企业试用。",
		Keywords: []string{"机器人"}, Team: []domain.TeamMember{{Name: "赵强", Leader: true}}, TRL: 3, Stage: "lab", IP: []domain.IPRight{},
		Funding: "own", Modes: []string{"transfer"},
		Empowerment: &domain.Empowerment{Kind: "long_term_use", UseFrom: "2021-07-01", UseTo: "2031-07-01", Exclusive: true,
			AgreementOn: "2021-06-01", PublicityFrom: "2021-05-06", PublicityTo: "2021-05-20"},
	}}
}

// imported is what an export row becomes on import: the fields a filer enters.
func imported(x *domain.Achievement) *domain.Achievement {
	y := *x
	y.ID, y.OwnerName, y.Status, y.FiledOn, y.PublishedOn = 0, "", "", "", ""
	return &y
}

func decodeAll(t *testing.T, b []byte, format sheetio.Format) ([]*domain.Achievement, []RowError) {
	t.Helper()
	return codec.DecodeAll(t, b, format)
}

// TestRoundTrip: an export read back is the same records, in CSV and xlsx.
func TestRoundTrip(t *testing.T) {
	for _, f := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		var b bytes.Buffer
		if err := Table(sample(), testLookup).Write(f, &b); err != nil {
			t.Fatal(err)
		}
		xs, errs := decodeAll(t, b.Bytes(), f)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f, errs)
		}
		for i, want := range sample() {
			if i >= len(xs) || !reflect.DeepEqual(xs[i], imported(want)) {
				t.Errorf("%s row %d:\n got %+v\nwant %+v", f, i+2, xs[i], imported(want))
			}
		}
	}
}

// TestTemplate: the template's example row is a valid record, in both formats.
func TestTemplate(t *testing.T) {
	for _, f := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		var b bytes.Buffer
		if err := Template(f, testLookup, &b); err != nil {
			t.Fatal(err)
		}
		xs, errs := decodeAll(t, b.Bytes(), f)
		if len(errs) > 0 || len(xs) != 1 || xs[0].Empowerment == nil || xs[0].Empowerment.TeamPermille != 700 {
			t.Fatalf("%s: %v %+v", f, errs, xs)
		}
	}
}

// TestBadRows: every bad cell is named by row and column.
func TestBadRows(t *testing.T) {
	var b bytes.Buffer
	if err := Table(sample()[:1], testLookup).Write(sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\r\n")
	good := lines[1]
	bad := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in %q", old, good)
		}
		return strings.Replace(good, old, new, 1)
	}
	rows := []string{
		good,
		bad("123456.78", "12.345"), // 3: 意向价格
		bad("王明|教授|负责人", "王明|教授|组长"),           // 4: 完成人
		bad("机器人", "航天"),                       // 5: 产业链
		bad("发明专利|ZL202110000001.X", "发明|ZL1"), // 6: 知识产权
		bad("许可；作价入股", "许可；出租"),                // 7: 转化方式
		bad("62.5,37.5", "62.5,30"),            // 8: 份额之和
		bad("2021-06-01", "2021-05-10"),        // 9: 协议在公示之前
		bad("高性能镁合金板材异步轧制技术", ""),              // 10: 名称必填
	}
	csv := lines[0] + "\n" + strings.Join(rows, "\n") + "\n"
	xs, errs := decodeAll(t, []byte(csv), sheetio.CSV)
	if len(xs) != 1 {
		t.Errorf("%d good rows, want 1", len(xs))
	}
	want := map[int]string{3: ColAsking, 4: ColTeam, 5: ColChain, 6: "知识产权", 7: "转化方式", 8: "团队份额（%）", 9: "赋权协议签订日期", 10: ColTitle}
	got := map[int]string{}
	for _, e := range errs {
		if e.Message == "" {
			t.Errorf("empty message %+v", e)
		}
		got[e.Row] = e.Field
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %v\n got %v\nwant %v", errs, got, want)
	}
}

// TestHeader: an unknown, doubled or missing required column is named.
func TestHeader(t *testing.T) {
	_, errs := decodeAll(t, []byte("成果名称,成果名称,颜色\n甲,乙,丙\n"), sheetio.CSV)
	msgs := map[string]bool{}
	for _, e := range errs {
		if e.Row != 1 {
			t.Errorf("header problem on row %d: %+v", e.Row, e)
		}
		msgs[e.Field] = true
	}
	for _, f := range []string{"成果名称", "颜色", "成果简介", ColTeam} {
		if !msgs[f] {
			t.Errorf("no problem named %q: %v", f, errs)
		}
	}
}
