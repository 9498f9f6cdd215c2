package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// TestContractLinksChain: a contract names a published achievement and a
// need; unknown kinds and records the
// filer may not see are refused naming the field; once registered the
// contract counts in the chain figures (linked, converted locally) and
// shows on the achievement's and the need's timelines, which the public
// reads without the contract itself.
func TestContractLinksChain(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		pub := w.city.Achievement().Published().Insert(t)
		hidden := w.city.Achievement().Owner(w.city.Univ2).Filed().Insert(t) // filed, not published: Univ2's and the bureau's
		need := w.city.Need().Published().Insert(t)

		for _, tc := range []struct {
			links []domain.ContractLink
			field string
		}{
			{[]domain.ContractLink{{Kind: "bogus", RefID: pub.ID}}, "links[0].kind"},
			{[]domain.ContractLink{{Kind: "challenge", RefID: 999999}}, "links[0].ref_id"},
			{[]domain.ContractLink{{Kind: "achievement", RefID: pub.ID}, {Kind: "achievement", RefID: hidden.ID}}, "links[1].ref_id"},
			{[]domain.ContractLink{{Kind: "achievement", RefID: 999999}}, "links[0].ref_id"},
			{[]domain.ContractLink{{Kind: "achievement", RefID: 0}}, "links[0].ref_id"},
			{[]domain.ContractLink{{Kind: "need", RefID: need.ID}, {Kind: "need", RefID: need.ID}}, "links[1].ref_id"},
		} {
			in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
			in.Links = tc.links
			_, err := w.svc.Contracts.Create(ctx, w.univ, in)
			wantCode(t, err, domain.EINVALID, tc.field)
		}

		in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
		in.Links = []domain.ContractLink{{Kind: "achievement", RefID: pub.ID, Title: "ignored"}}
		c := w.submitted(t, w.univ, in)
		if len(c.Links) != 1 || c.Links[0].RefID != pub.ID {
			t.Fatalf("links after filing: %+v", c.Links)
		}
		got, err := w.svc.Contracts.Get(ctx, w.univ, c.ID)
		if err != nil || len(got.Links) != 1 || got.Links[0].Title != pub.Title {
			t.Fatalf("read back: %+v %v", got.Links, err)
		}
		// Not counted before registration.
		st, err := w.svc.Chain.Stats(ctx, 2022, "")
		if err != nil {
			t.Fatal(err)
		}
		if st.ContractsLinked != 0 || st.LocalConversions != 0 || st.AchievementsPublished != 1 || st.NeedsPublished != 1 {
			t.Fatalf("before registration: %+v", st)
		}
		if c, err = w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 800_000_00, ""); err != nil {
			t.Fatal(err)
		}
		// The registrar adds the need to the registered contract's sources.
		if _, err := w.svc.Contracts.SetLinks(ctx, w.univ, c.ID, c.Version, nil); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the seller corrects a registered contract's sources: %v", err)
		}
		c, err = w.svc.Contracts.SetLinks(ctx, w.registrar, c.ID, c.Version,
			[]domain.ContractLink{{Kind: "achievement", RefID: pub.ID}, {Kind: "need", RefID: need.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// A second registered contract of the same achievement, bought
		// outside the city: one more linked contract, still one achievement
		// converted locally.
		in = w.input(w.city.Univ, w.city.Other, 2_000_000_00)
		in.Links = []domain.ContractLink{{Kind: "achievement", RefID: pub.ID}}
		c2 := w.submitted(t, w.univ, in)
		if _, err := w.svc.Contracts.Register(ctx, w.registrar, c2.ID, c2.Version, 1_600_000_00, ""); err != nil {
			t.Fatal(err)
		}
		st, err = w.svc.Chain.Stats(ctx, 2022, "")
		if err != nil {
			t.Fatal(err)
		}
		if st.ContractsLinked != 2 || st.LocalConversions != 1 || st.AchievementsContracted != 1 || st.Events != 0 || st.Year != 2022 {
			t.Fatalf("after registration: %+v", st)
		}
		stages := map[string]*int64{}
		for _, s := range st.Stages {
			stages[s.Code] = s.Value
		}
		if stages["published"] == nil || *stages["published"] != 1 || stages["contract"] == nil || *stages["contract"] != 1 || stages["pilot"] != nil {
			t.Errorf("stages: %+v", st.Stages)
		}
		if other, err := w.svc.Chain.Stats(ctx, 2021, ""); err != nil || other.ContractsLinked != 0 || other.AchievementsPublished != 0 {
			t.Errorf("2021: %+v %v", other, err)
		}
		if byChain, err := w.svc.Chain.Stats(ctx, 2022, pub.ChainCode); err != nil || byChain.LocalConversions != 1 {
			t.Errorf("by the achievement's chain: %+v %v", byChain, err)
		}
		_, err = w.svc.Chain.Stats(ctx, 1900, "")
		wantCode(t, err, domain.EINVALID, "year")
		_, err = w.svc.Chain.Stats(ctx, 2022, "no_such_chain")
		wantCode(t, err, domain.EINVALID, "chain")

		// The timelines: the public reads them, without opening the contract.
		tl, err := w.svc.Chain.AchievementTimeline(ctx, nil, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		var local []bool
		for _, s := range tl.Steps {
			steps = append(steps, s.Step)
			if s.Step == "registered" {
				local = append(local, *s.Local)
				// The registration number opens the public certificate
				// check, which names the parties: the public sees neither
				// it nor the contract's title.
				if s.Open || s.Note != "" || s.Title != "已登记的技术合同" {
					t.Errorf("the public's contract step: %+v", s)
				}
			}
		}
		if len(steps) != 4 || steps[0] != "filed" || steps[1] != "published" || steps[2] != "registered" || len(local) != 2 || !local[0] || local[1] {
			t.Errorf("achievement timeline: %v local %v", steps, local)
		}
		tl, err = w.svc.Chain.AchievementTimeline(ctx, w.univ, pub.ID)
		if err != nil || !tl.Steps[len(tl.Steps)-1].Open {
			t.Errorf("the seller cannot open its contract from the timeline: %+v %v", tl, err)
		} else if s := tl.Steps[len(tl.Steps)-1]; s.Note == "" || s.Title == "已登记的技术合同" {
			t.Errorf("the seller's contract step lacks the number or the title: %+v", s)
		}
		if _, err := w.svc.Chain.AchievementTimeline(ctx, nil, hidden.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the public reads an unpublished achievement's timeline: %v", err)
		}
		nt, err := w.svc.Chain.NeedTimeline(ctx, nil, need.ID)
		if err != nil || len(nt.Steps) != 2 || nt.Steps[0].Step != "published" || nt.Steps[1].Step != "registered" {
			t.Errorf("need timeline: %+v %v", nt, err)
		}
	})
}

// TestContractLinksOtherKinds: a contract names a published challenge, a
// public event and an intention its filer is party to, each read back with
// its title; a draft challenge or event of another organisation and an
// intention of strangers are refused naming the link, as if they did not
// exist.
func TestContractLinksOtherKinds(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		pub := w.city.Achievement().Published().Insert(t) // the university's
		other := w.city.Achievement().Owner(w.city.Univ2).Published().Insert(t)
		ch := w.city.Challenge().Published().Insert(t)
		draftCh := w.city.Challenge().Insert(t)
		ev := w.city.TechEvent().Held().Insert(t)
		draftEv := w.city.TechEvent().Insert(t)
		var mine, strangers domain.Intention
		err := w.st.InTx(ctx, func(q *store.Q) error {
			mine = domain.Intention{EventID: ev.ID, AchievementID: pub.ID, EnterpriseOrgID: w.city.Ent.ID, OwnerOrgID: w.city.Univ.ID,
				SignedOn: ev.Date, Mode: "license"}
			strangers = domain.Intention{EventID: ev.ID, AchievementID: other.ID, EnterpriseOrgID: w.city.Other.ID, OwnerOrgID: w.city.Univ2.ID,
				SignedOn: ev.Date, Mode: "license"}
			return errors.Join(q.AddIntention(ctx, &mine), q.AddIntention(ctx, &strangers))
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			links []domain.ContractLink
			field string
		}{
			{[]domain.ContractLink{{Kind: "challenge", RefID: draftCh.ID}}, "links[0].ref_id"},
			{[]domain.ContractLink{{Kind: "event", RefID: ev.ID}, {Kind: "event", RefID: draftEv.ID}}, "links[1].ref_id"},
			{[]domain.ContractLink{{Kind: "intention", RefID: strangers.ID}}, "links[0].ref_id"},
			{[]domain.ContractLink{{Kind: "intention", RefID: 999999}}, "links[0].ref_id"},
		} {
			in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
			in.Links = tc.links
			_, err := w.svc.Contracts.Create(ctx, w.univ, in)
			wantCode(t, err, domain.EINVALID, tc.field)
		}
		in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)
		in.Links = []domain.ContractLink{{Kind: "challenge", RefID: ch.ID}, {Kind: "event", RefID: ev.ID}, {Kind: "intention", RefID: mine.ID}}
		c, err := w.svc.Contracts.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.Contracts.Get(ctx, w.univ, c.ID)
		if err != nil || len(got.Links) != 3 {
			t.Fatalf("read back: %+v %v", got, err)
		}
		for i, want := range []string{ch.Title, ev.Title, pub.Title} {
			if !strings.Contains(got.Links[i].Title, want) {
				t.Errorf("link %d titled %q, want it to name %q", i, got.Links[i].Title, want)
			}
		}
	})
}
