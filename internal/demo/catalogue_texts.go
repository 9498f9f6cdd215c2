package demo

// CatalogueText is one real research abstract of the demo catalogue
// (title, abstract, keywords, discipline), for the benchmarks that
// recombine them (kechuang bench chain).
type CatalogueText = catalogueText

// CatalogueTexts are the demo catalogue's texts in their fixed order.
func CatalogueTexts() ([]CatalogueText, error) { return catalogueTexts() }

// CatalogueChain is the industrial chain the demo gives a text.
func CatalogueChain(t CatalogueText) string { return chainOf(t) }
