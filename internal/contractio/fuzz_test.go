package contractio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
)

// fuzzLookup is the city file's city without a database, with the
// national table of regions.
var fuzzLookup = func() *Lookup {
	sy := city.Shenyang()
	l := &Lookup{CityCode: sy.Code, RegistryRegion: sy.Registry.Code, Today: "2023-06-15", Regions: map[string]domain.Region{},
		OrgsByUSCC: map[string]*domain.Org{domain.MakeUSCC("91210100000000007"): {ID: 7, Kind: domain.OrgAgency, Name: "中介"}}}
	for _, r := range gb2260.Default().Regions() {
		l.Regions[r.Code] = r
	}
	for _, c := range sy.Chains {
		l.Chains = append(l.Chains, domain.Chain{Code: c.Code, Name: c.Name})
	}
	return l
}()

func seedRows() [][]string {
	row := map[string]string{
		ColRegNo: "2022210100000007", colTitle: "合同", colSellerName: "卖方", colSellerUSCC: domain.MakeUSCC("91210100000000003"),
		colSellerRegion: "210102", colSellerType: "高等院校", colBuyerName: "买方", colBuyerUSCC: domain.MakeUSCC("91210100000000004"),
		colBuyerRegion: "210112", colBuyerType: "企业法人", colBroker: domain.MakeUSCC("91210100000000007"), colSignedOn: "2022-03-01",
		colTermStart: "2022-03-01", colTermEnd: "2023-03-01", colCategory: "技术开发", colSubType: "委托开发", colForm: "书面",
		colSeals: "是", colField: "先进制造", colChain: "机器人", colTurnover: "1,234.50", colCosts: "设备:示波器\\:A:100:2; 样品样机:x:1:3",
		colIncome: "10", colStatus: "已登记", colRegisteredOn: "2022-04-01",
	}
	h := Headers()
	line := make([]string, len(h))
	for i, c := range h {
		line[i] = row[c]
	}
	bad := append([]string(nil), line...)
	bad[1], bad[21] = "", "1.005"
	return [][]string{h, line, bad}
}

// checkParse runs the parser over arbitrary bytes: it must not panic, a
// file-level problem must be a file or header error, and every row problem
// must name its row (≥ 2) and column; a row without problems must pass
// the domain validation.
func checkParse(t *testing.T, format Format, data []byte) {
	var src rowSource
	var err error
	if format == XLSX {
		src, err = newXLSXSource(bytes.NewReader(data))
	} else {
		src, err = newCSVSource(bytes.NewReader(data))
	}
	if err != nil {
		var fe *fileError
		if !errors.As(err, &fe) || fe.Msg == "" {
			t.Fatalf("open: %T %v", err, err)
		}
		return
	}
	defer src.Close()
	last := 1
	err = parseFile(src, fuzzLookup, format == XLSX, 200, func(row int, c *domain.Contract, errs []RowError) error {
		if row <= last {
			t.Fatalf("row %d after row %d", row, last)
		}
		last = row
		for _, e := range errs {
			if e.Row != row || e.Field == "" || e.Message == "" {
				t.Fatalf("row %d: error %+v does not name its row and column", row, e)
			}
		}
		if len(errs) == 0 {
			if err := c.Validate(); err != nil {
				t.Fatalf("row %d accepted but invalid: %v", row, err)
			}
			if c.Status == domain.ContractRegistered && (len(c.RegNo) != 16 || c.RegisteredOn == "") {
				t.Fatalf("row %d registered without a number: %+v", row, c)
			}
		}
		return nil
	})
	var fe *fileError
	var he *headerError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		if fe.Msg == "" || fe.Row < 0 {
			t.Fatalf("file error %+v", fe)
		}
	case errors.As(err, &he):
		for _, e := range he.errs {
			if e.Row != 1 || e.Message == "" {
				t.Fatalf("header error %+v", e)
			}
		}
	default:
		t.Fatalf("parse: %T %v", err, err)
	}
}

// Run the import fuzzers with -fuzzminimizetime=2s: minimising a new input
// through the instrumented CSV/xlsx stack otherwise keeps the worker busy
// for minutes, and the run reports no executions meanwhile.
func FuzzImportCSV(f *testing.F) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(seedRows())
	f.Add(b.Bytes())
	f.Add(append([]byte("\ufeff"), b.Bytes()...))
	f.Add([]byte(strings.Join(Headers(), ",") + "\n"))
	f.Add([]byte("登记号,合同名称\n\"x\"y,1\n"))
	f.Add([]byte("\xb5\xc7\xbc\xc7\xba\xc5\n1\n")) // GBK 登记号
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, CSV, data) })
}

func FuzzImportXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", SheetName)
	for i, r := range seedRows() {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow(SheetName, cell, &cells)
	}
	var b bytes.Buffer
	x.Write(&b)
	x.Close()
	f.Add(b.Bytes())
	var tpl bytes.Buffer
	Template(XLSX, nil, &tpl)
	f.Add(tpl.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("not a workbook"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, XLSX, data) })
}
