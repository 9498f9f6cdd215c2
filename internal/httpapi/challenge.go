package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The challenge module's API (揭榜挂帅): the public board, 建榜 by an
// enterprise or the bureau, 定榜 and 发榜 by the bureau, answers (private to
// the answering organisation, the owner and the bureau), their review
// through the evaluation engine, selection, the project and its
// acceptance.

// ChallengeList is a page of challenges.
type ChallengeList = httpx.List[*domain.Challenge]

// ChallengeAnswerList is a challenge's answers the caller may read.
type ChallengeAnswerList = httpx.Items[*domain.ChallengeAnswer]

// ChallengeStepBody is the body of a plain challenge step: the version
// read and a comment (the reason, where the step needs one: return,
// withdraw, fail, exit; the note when a milestone is completed).
type ChallengeStepBody struct {
	Version int64  `json:"version"`
	Comment string `json:"comment"`
}

// ChallengeSelectBody names the selected answer.
type ChallengeSelectBody struct {
	Version  int64  `json:"version"`
	AnswerID int64  `json:"answer_id"`
	Comment  string `json:"comment"`
}

// ChallengeContractBody records the agreement.
type ChallengeContractBody struct {
	Version int64 `json:"version"`
	domain.ChallengeAgreement
}

// ChallengeMilestoneBody adds a milestone with its payment.
type ChallengeMilestoneBody struct {
	Version    int64  `json:"version"`
	Title      string `json:"title"`
	DueOn      string `json:"due_on"`
	PaymentFen int64  `json:"payment_fen"`
	Note       string `json:"note"`
}

// ChallengeCompleteBody records a milestone done.
type ChallengeCompleteBody struct {
	Version     int64  `json:"version"`
	MilestoneID int64  `json:"milestone_id"`
	Comment     string `json:"comment"`
}

// ChallengeAcceptBody is 验收's result.
type ChallengeAcceptBody struct {
	Version int64 `json:"version"`
	domain.ChallengeAcceptance
}

// ChallengeAnswerStepBody is the body of an answer's step: the version
// read, a comment (the reason of a withdrawal; the defence's notes) and
// the defence's date.
type ChallengeAnswerStepBody struct {
	Version   int64  `json:"version"`
	Comment   string `json:"comment"`
	DefenceOn string `json:"defence_on,omitempty"`
}

func challengePathID(r *http.Request, key, notFound string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(key), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(notFound))
	}
	return id, nil
}

func challengeID(r *http.Request) (int64, error) { return challengePathID(r, "id", "榜单不存在") }

func (a *API) listChallenges(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, err := httpx.ChallengeFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Page, f.PerPage = p.Page, p.PerPage
	xs, total, err := a.Svc.Challenges.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

func (a *API) createChallenge(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.Challenge
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Challenges.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/challenges/%d", x.ID))
	return httpx.JSON(w, http.StatusCreated, x)
}

func (a *API) getChallenge(w http.ResponseWriter, r *http.Request) error {
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	x, err := a.Svc.Challenges.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) updateChallenge(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	var in domain.Challenge
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	x, err := a.Svc.Challenges.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) deleteChallenge(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	if err := a.Svc.Challenges.Delete(r.Context(), ActorFrom(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) challengeEvents(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Challenges.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

// challengeStep adapts one challenge step: logged in, an id, a body of
// type B with the version read.
func challengeStep[B any](version func(*B) int64, do func(r *http.Request, id int64, b *B) (*domain.Challenge, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := challengeID(r)
		if err != nil {
			return err
		}
		var b B
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		if version(&b) == 0 {
			return domain.FieldErrorf("version", "请提供读取时的版本号 version")
		}
		x, err := do(r, id, &b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, x)
	}
}

func (a *API) challengeSimple(do func(r *http.Request, id, version int64, comment string) (*domain.Challenge, error)) func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeStepBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeStepBody) (*domain.Challenge, error) {
		return do(r, id, b.Version, b.Comment)
	})
}

func (a *API) submitChallenge(r *http.Request, id, version int64, _ string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Submit(r.Context(), ActorFrom(r), id, version)
}

func (a *API) confirmChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Confirm(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) returnChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Return(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) publishChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Publish(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) withdrawChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Withdraw(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) closeChallengeAnswers(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.CloseAnswers(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) startChallenge(r *http.Request, id, version int64, _ string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Start(r.Context(), ActorFrom(r), id, version)
}

func (a *API) failChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Fail(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) exitChallenge(r *http.Request, id, version int64, c string) (*domain.Challenge, error) {
	return a.Svc.Challenges.Exit(r.Context(), ActorFrom(r), id, version, c)
}

func (a *API) selectChallenge() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeSelectBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeSelectBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Select(r.Context(), ActorFrom(r), id, b.Version, b.AnswerID, b.Comment)
	})
}

func (a *API) contractChallenge() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeContractBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeContractBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Contract(r.Context(), ActorFrom(r), id, b.Version, b.ChallengeAgreement)
	})
}

func (a *API) addChallengeMilestone() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeMilestoneBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeMilestoneBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.AddMilestone(r.Context(), ActorFrom(r), id, b.Version,
			domain.ChallengeMilestone{Title: b.Title, DueOn: b.DueOn, PaymentFen: b.PaymentFen, Note: b.Note})
	})
}

func (a *API) completeChallengeMilestone() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeCompleteBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeCompleteBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.CompleteMilestone(r.Context(), ActorFrom(r), id, b.Version, b.MilestoneID, b.Comment)
	})
}

func (a *API) acceptChallenge() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(b *ChallengeAcceptBody) int64 { return b.Version }, func(r *http.Request, id int64, b *ChallengeAcceptBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Accept(r.Context(), ActorFrom(r), id, b.Version, b.ChallengeAcceptance)
	})
}

// Answers.

func (a *API) listChallengeAnswers(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	xs, err := a.Svc.Challenges.Answers(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(xs))
}

func (a *API) createChallengeAnswer(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := challengeID(r)
	if err != nil {
		return err
	}
	var in domain.ChallengeAnswer
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Challenges.Answer(r.Context(), ActorFrom(r), id, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/challenges/%d/answers/%d", id, x.ID))
	return httpx.JSON(w, http.StatusCreated, x)
}

// answerOf reads the answer of the path and checks it belongs to the
// challenge of the path.
func (a *API) answerOf(r *http.Request) (*domain.ChallengeAnswer, error) {
	if _, err := httpx.RequireActor(r); err != nil {
		return nil, err
	}
	cid, err := challengeID(r)
	if err != nil {
		return nil, err
	}
	aid, err := challengePathID(r, "aid", "揭榜方案不存在")
	if err != nil {
		return nil, err
	}
	x, err := a.Svc.Challenges.GetAnswer(r.Context(), ActorFrom(r), aid)
	if err != nil {
		return nil, err
	}
	if x.ChallengeID != cid {
		return nil, domain.Errorf(domain.ENOTFOUND, "揭榜方案不存在")
	}
	return x, nil
}

func (a *API) getChallengeAnswer(w http.ResponseWriter, r *http.Request) error {
	x, err := a.answerOf(r)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) challengeAnswerEvents(w http.ResponseWriter, r *http.Request) error {
	x, err := a.answerOf(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Challenges.AnswerEvents(r.Context(), ActorFrom(r), x.ID)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

func (a *API) answerStep(do func(r *http.Request, id int64, b ChallengeAnswerStepBody) (*domain.ChallengeAnswer, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		x, err := a.answerOf(r)
		if err != nil {
			return err
		}
		var b ChallengeAnswerStepBody
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		if b.Version == 0 {
			return domain.FieldErrorf("version", "请提供读取时的版本号 version")
		}
		out, err := do(r, x.ID, b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, out)
	}
}

func (a *API) withdrawChallengeAnswer(r *http.Request, id int64, b ChallengeAnswerStepBody) (*domain.ChallengeAnswer, error) {
	return a.Svc.Challenges.WithdrawAnswer(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) evaluateChallengeAnswer(r *http.Request, id int64, b ChallengeAnswerStepBody) (*domain.ChallengeAnswer, error) {
	return a.Svc.Challenges.Evaluate(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) defendChallengeAnswer(r *http.Request, id int64, b ChallengeAnswerStepBody) (*domain.ChallengeAnswer, error) {
	return a.Svc.Challenges.RecordDefence(r.Context(), ActorFrom(r), id, b.Version, b.DefenceOn, b.Comment)
}
