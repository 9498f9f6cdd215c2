package i18n

import (
	"testing"
	"testing/fstest"
)

// TestCatalogueFiles: module catalogues merge with the spine's, and an id
// in two files is refused.
func TestCatalogueFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"en.json":       {Data: []byte(`{"登录": "Log in"}`)},
		"en/admin.json": {Data: []byte(`{"机构管理": "Organisations"}`)},
	}
	m, err := loadCatalogue(fsys)
	if err != nil || m["登录"] != "Log in" || m["机构管理"] != "Organisations" {
		t.Fatalf("merged %v, %v", m, err)
	}
	fsys["en/other.json"] = &fstest.MapFile{Data: []byte(`{"登录": "Sign in"}`)}
	if _, err := loadCatalogue(fsys); err == nil {
		t.Fatal("a duplicate id across files was accepted")
	}
	fsys["en/other.json"] = &fstest.MapFile{Data: []byte(`{"登录": `)}
	if _, err := loadCatalogue(fsys); err == nil {
		t.Fatal("a broken file was accepted")
	}
}
