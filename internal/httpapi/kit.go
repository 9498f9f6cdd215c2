package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The API's module kit: the handlers every workflow module's routes share
// (list, create, get, update, delete a draft, the history, a workflow
// step), over the service's use cases. A module names its entity once (its
// "not found" message, the path of its collection) and its handlers are one
// line each; see docs/adding-a-module.md.

// entityID reads the {id} of the path; anything but a positive number is
// "not found" (notFound), as a missing id.
func entityID(r *http.Request, notFound string) (int64, error) { return pathKeyID(r, "id", notFound) }

// pathKeyID reads a positive id of the path (key: "id", "aid"…); anything
// else is "not found" (notFound).
func pathKeyID(r *http.Request, key, notFound string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(key), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(notFound))
	}
	return id, nil
}

// queryVersion reads the required ?version= of a DELETE.
func queryVersion(r *http.Request) (int64, error) {
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return 0, domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	return version, nil
}

// listOf answers a page of a module's list: the page and the filters of
// the query string (parse), the use case (list) with the caller as actor.
func listOf[F, T any](w http.ResponseWriter, r *http.Request, parse func(url.Values) (F, error), page func(*F, httpx.Page),
	list func(context.Context, *domain.Actor, F) ([]T, int, error)) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, err := parse(r.URL.Query())
	if err != nil {
		return err
	}
	page(&f, p)
	countCap := httpx.CountCap(f)
	if err := p.CheckDepth(countCap); err != nil {
		return err
	}
	xs, total, err := list(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewCappedList(p, xs, total, countCap))
}

// createOf creates a record from the body (signed in only) and answers 201
// with its Location under base ("/api/v1/needs").
func createOf[T any](w http.ResponseWriter, r *http.Request, base string,
	create func(context.Context, *domain.Actor, *T) (*T, error), id func(*T) int64) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in T
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("%s/%d", base, id(x)))
	return httpx.JSON(w, http.StatusCreated, x)
}

// getOf answers the record of the path's id (public: the use case hides
// what the caller may not see as "not found").
func getOf[T any](w http.ResponseWriter, r *http.Request, notFound string, get func(context.Context, *domain.Actor, int64) (T, error)) error {
	id, err := entityID(r, notFound)
	if err != nil {
		return err
	}
	x, err := get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

// updateOf writes the body over the record of the path's id (signed in
// only); the body must carry the version read (version), so that nobody
// overwrites another's change unseen.
func updateOf[T any](w http.ResponseWriter, r *http.Request, notFound string, version func(*T) int64,
	update func(context.Context, *domain.Actor, int64, int64, *T) (*T, error)) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, notFound)
	if err != nil {
		return err
	}
	var in T
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	v := version(&in)
	if v == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	x, err := update(r.Context(), ActorFrom(r), id, v, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

// deleteOf deletes the record of the path's id at the ?version= read
// (signed in only) and answers 204.
func deleteOf(w http.ResponseWriter, r *http.Request, notFound string, del func(context.Context, *domain.Actor, int64, int64) error) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, notFound)
	if err != nil {
		return err
	}
	version, err := queryVersion(r)
	if err != nil {
		return err
	}
	if err := del(r.Context(), ActorFrom(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// eventsOf answers the history of the record of the path's id: never the
// public's (it names the staff), 401 before anything else.
func eventsOf(w http.ResponseWriter, r *http.Request, notFound string, events func(context.Context, *domain.Actor, int64) ([]*domain.Event, error)) error {
	return itemsOf(notFound, true, func(r *http.Request, id int64) ([]*domain.Event, error) {
		return events(r.Context(), ActorFrom(r), id)
	})(w, r)
}

// itemsOf answers the items list returns of the record of the path's id
// (its history, its registrations…); login: signed in only, 401 before
// anything else (else the use case hides what the caller may not see).
func itemsOf[T any](notFound string, login bool, list func(r *http.Request, id int64) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if login {
			if _, err := httpx.RequireActor(r); err != nil {
				return err
			}
		}
		id, err := entityID(r, notFound)
		if err != nil {
			return err
		}
		xs, err := list(r, id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, httpx.NewItems(xs))
	}
}

// readOf answers what read returns of the record of the path's id to a
// signed-in caller (401 before anything else).
func readOf[T any](w http.ResponseWriter, r *http.Request, notFound string, read func(r *http.Request, id int64) (T, error)) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, notFound)
	if err != nil {
		return err
	}
	x, err := read(r, id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

// minePageOf answers a page of the caller's own records (signed in only):
// the page of the query string, the use case (list).
func minePageOf[T any](w http.ResponseWriter, r *http.Request, list func(context.Context, *domain.Actor, int, int) ([]T, int, error)) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	xs, total, err := list(r.Context(), ActorFrom(r), p.Page, p.PerPage)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

// stepBody is a workflow step's body: it carries the version read.
type stepBody interface{ stepVersion() int64 }

// workflowStep adapts one workflow step: signed in, the path's id, the
// body (B) with the version read; do runs the use case.
func workflowStep[B stepBody, T any](notFound string, do func(r *http.Request, id int64, b B) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return bodyStep(notFound, http.StatusOK, func(r *http.Request, id int64, b *B) (T, error) {
		if err := requireVersion(*b); err != nil {
			var zero T
			return zero, err
		}
		return do(r, id, *b)
	})
}

// requireVersion refuses a step's body without the version read.
func requireVersion(b stepBody) error {
	if b.stepVersion() == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	return nil
}

// bodyStep adapts a use case posted with a body B about the record of the
// path's id, without a version (an expert's score sheet, an objection, a
// registration): signed in, the id, the body; the answer has status (201
// for something added under the record).
func bodyStep[B, T any](notFound string, status int, do func(r *http.Request, id int64, b *B) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := entityID(r, notFound)
		if err != nil {
			return err
		}
		var b B
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		x, err := do(r, id, &b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, status, x)
	}
}
