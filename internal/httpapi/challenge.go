package httpapi

import (
	"fmt"
	"net/http"

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

const challengeNotFound, answerNotFound = "榜单不存在", "揭榜方案不存在"

func (b ChallengeStepBody) stepVersion() int64       { return b.Version }
func (b ChallengeSelectBody) stepVersion() int64     { return b.Version }
func (b ChallengeContractBody) stepVersion() int64   { return b.Version }
func (b ChallengeMilestoneBody) stepVersion() int64  { return b.Version }
func (b ChallengeCompleteBody) stepVersion() int64   { return b.Version }
func (b ChallengeAcceptBody) stepVersion() int64     { return b.Version }
func (b ChallengeAnswerStepBody) stepVersion() int64 { return b.Version }

func (a *API) listChallenges(w http.ResponseWriter, r *http.Request) error {
	return listOf(w, r, httpx.ChallengeFilterOf, func(f *domain.ChallengeFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage },
		a.Svc.Challenges.List)
}

func (a *API) createChallenge(w http.ResponseWriter, r *http.Request) error {
	return createOf(w, r, "/api/v1/challenges", a.Svc.Challenges.Create, func(x *domain.Challenge) int64 { return x.ID })
}

func (a *API) getChallenge(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, challengeNotFound, a.Svc.Challenges.Get)
}

func (a *API) updateChallenge(w http.ResponseWriter, r *http.Request) error {
	return updateOf(w, r, challengeNotFound, func(x *domain.Challenge) int64 { return x.Version }, a.Svc.Challenges.Update)
}

func (a *API) deleteChallenge(w http.ResponseWriter, r *http.Request) error {
	return deleteOf(w, r, challengeNotFound, a.Svc.Challenges.Delete)
}

// challengeEvents is the 榜单's history (its owner's and the bureau's).
func (a *API) challengeEvents(w http.ResponseWriter, r *http.Request) error {
	return eventsOf(w, r, challengeNotFound, a.Svc.Challenges.Events)
}

// challengeStep adapts one of the 榜单's steps with its body B.
func challengeStep[B stepBody](do func(r *http.Request, id int64, b B) (*domain.Challenge, error)) func(http.ResponseWriter, *http.Request) error {
	return workflowStep(challengeNotFound, do)
}

func (a *API) challengeSimple(do func(r *http.Request, id, version int64, comment string) (*domain.Challenge, error)) func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(r *http.Request, id int64, b ChallengeStepBody) (*domain.Challenge, error) {
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
	return challengeStep(func(r *http.Request, id int64, b ChallengeSelectBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Select(r.Context(), ActorFrom(r), id, b.Version, b.AnswerID, b.Comment)
	})
}

func (a *API) contractChallenge() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(r *http.Request, id int64, b ChallengeContractBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Contract(r.Context(), ActorFrom(r), id, b.Version, b.ChallengeAgreement)
	})
}

func (a *API) addChallengeMilestone() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(r *http.Request, id int64, b ChallengeMilestoneBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.AddMilestone(r.Context(), ActorFrom(r), id, b.Version,
			domain.ChallengeMilestone{Title: b.Title, DueOn: b.DueOn, PaymentFen: b.PaymentFen, Note: b.Note})
	})
}

func (a *API) completeChallengeMilestone() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(r *http.Request, id int64, b ChallengeCompleteBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.CompleteMilestone(r.Context(), ActorFrom(r), id, b.Version, b.MilestoneID, b.Comment)
	})
}

func (a *API) acceptChallenge() func(http.ResponseWriter, *http.Request) error {
	return challengeStep(func(r *http.Request, id int64, b ChallengeAcceptBody) (*domain.Challenge, error) {
		return a.Svc.Challenges.Accept(r.Context(), ActorFrom(r), id, b.Version, b.ChallengeAcceptance)
	})
}

// Answers.

func (a *API) listChallengeAnswers(w http.ResponseWriter, r *http.Request) error {
	return itemsOf(challengeNotFound, true, func(r *http.Request, id int64) ([]*domain.ChallengeAnswer, error) {
		return a.Svc.Challenges.Answers(r.Context(), ActorFrom(r), id)
	})(w, r)
}

func (a *API) createChallengeAnswer(w http.ResponseWriter, r *http.Request) error {
	return bodyStep(challengeNotFound, http.StatusCreated, func(r *http.Request, id int64, in *domain.ChallengeAnswer) (*domain.ChallengeAnswer, error) {
		x, err := a.Svc.Challenges.Answer(r.Context(), ActorFrom(r), id, in)
		if err == nil {
			w.Header().Set("Location", fmt.Sprintf("/api/v1/challenges/%d/answers/%d", id, x.ID))
		}
		return x, err
	})(w, r)
}

// answerOf reads the answer of the path and checks it belongs to the
// challenge of the path.
func (a *API) answerOf(r *http.Request) (*domain.ChallengeAnswer, error) {
	if _, err := httpx.RequireActor(r); err != nil {
		return nil, err
	}
	cid, err := entityID(r, challengeNotFound)
	if err != nil {
		return nil, err
	}
	aid, err := pathKeyID(r, "aid", answerNotFound)
	if err != nil {
		return nil, err
	}
	x, err := a.Svc.Challenges.GetAnswer(r.Context(), ActorFrom(r), aid)
	if err != nil {
		return nil, err
	}
	if x.ChallengeID != cid {
		return nil, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(answerNotFound))
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
		if err := requireVersion(b); err != nil {
			return err
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
