package httpapi

import (
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The request and answer bodies of the API that are not domain types. Each
// is named as its schema in the OpenAPI document, and openapi_test.go pairs
// them field by field.

// Health is the answer of the probes /healthz and /readyz.
type Health struct {
	Status  string   `json:"status"`
	Pending []string `json:"pending,omitempty"` // migrations not yet applied (readyz)
	Unknown []string `json:"unknown,omitempty"` // applied migrations this program does not know (readyz)
}

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// PasswordChangeRequest is the body of PUT /api/v1/me/password.
type PasswordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
	KeepTokens      bool   `json:"keep_tokens"` // keep the API tokens (revoked by default)
}

// TokenRequest is the body of POST /api/v1/tokens.
type TokenRequest struct {
	Name          string            `json:"name"`
	Scope         domain.TokenScope `json:"scope"`           // read or write (default)
	ExpiresInDays int               `json:"expires_in_days"` // 1–365; 0 or absent: until revoked
}

// TokenCreated answers a new API token: the secret, shown only here.
type TokenCreated struct {
	Token    string           `json:"token"`
	APIToken *domain.APIToken `json:"api_token"`
}

// TokenList lists the caller's API tokens.
type TokenList = httpx.Items[*domain.APIToken]

// Lists of the reference data.
type (
	RegionList        = httpx.Items[domain.Region]
	ChainList         = httpx.Items[domain.Chain]
	TechFieldList     = httpx.Items[domain.TechField]
	RefusalGroundList = httpx.Items[domain.RefusalGround]
)

// CategoryList is the contract categories in force on a signing date.
type CategoryList struct {
	SignedOn string            `json:"signed_on"`
	Items    []domain.Category `json:"items"`
}

// Paginated lists.
type (
	OrgList   = httpx.List[*domain.Org]
	QueueList = httpx.List[QueueItem]
	AuditList = httpx.List[*domain.AuditEntry]
)

// ContractList is a page of contracts with the totals of the whole
// filtered list (count, 成交额, 技术交易额).
type ContractList struct {
	httpx.List[*domain.Contract]
	Totals domain.ContractTotals `json:"totals"`
}

// EventList is a contract's workflow history, oldest first.
type EventList = httpx.Items[*domain.Event]

// QueueItem is a contract waiting for 受理 or a decision, with its time
// limit (the contract's due_on).
type QueueItem struct {
	*domain.Contract
	DaysLeft int  `json:"days_left"`
	Overdue  bool `json:"overdue"`
}

// SubmitBody is the body of POST /api/v1/contracts/{id}/submit.
type SubmitBody struct {
	Version int64 `json:"version"`
}

// WithdrawBody is the body of POST /api/v1/contracts/{id}/withdraw.
type WithdrawBody struct {
	Version int64 `json:"version"`
}

// ReturnBody is the body of POST /api/v1/contracts/{id}/return.
type ReturnBody struct {
	Version int64  `json:"version"`
	Comment string `json:"comment"`
}

// ReviewersBody is the body of POST /api/v1/contracts/{id}/reviewers.
type ReviewersBody struct {
	Version int64   `json:"version"`
	UserIDs []int64 `json:"user_ids"`
}

// OpinionBody is the body of POST /api/v1/contracts/{id}/opinion.
type OpinionBody struct {
	Version int64  `json:"version"`
	Opinion string `json:"opinion"`
	Comment string `json:"comment"`
}

func (b ReviewersBody) version() int64 { return b.Version }
func (b OpinionBody) version() int64   { return b.Version }

// RejectBody is the body of POST /api/v1/contracts/{id}/reject (不予受理).
type RejectBody struct {
	Version int64  `json:"version"`
	Ground  string `json:"ground"`
	Note    string `json:"note"`
}

func (b RejectBody) version() int64 { return b.Version }

// RefuseBody is the body of POST /api/v1/contracts/{id}/refuse.
type RefuseBody struct {
	Version int64  `json:"version"`
	Ground  string `json:"ground"`
	Note    string `json:"note"`
}

// RegisterBody is the body of POST /api/v1/contracts/{id}/register.
type RegisterBody struct {
	Version       int64  `json:"version"`
	TechIncomeFen *int64 `json:"tech_income_fen"`
	Note          string `json:"note"`
}

// versioned is every workflow body: each carries the version read.
type versioned interface{ version() int64 }

func (b SubmitBody) version() int64   { return b.Version }
func (b WithdrawBody) version() int64 { return b.Version }
func (b ReturnBody) version() int64   { return b.Version }
func (b RefuseBody) version() int64   { return b.Version }
func (b RegisterBody) version() int64 { return b.Version }

// AttachmentList is the answer of GET /api/v1/contracts/{id}/attachments:
// a filing's materials, oldest first, with the types the regime requires
// and those still missing.
type AttachmentList struct {
	Items    []*domain.Attachment    `json:"items"`
	Required []domain.AttachmentKind `json:"required"`
	Missing  []domain.AttachmentKind `json:"missing"`
}

// AttachmentResult is the answer of an upload or a replacement: the stored
// attachment and the filing's new version.
type AttachmentResult struct {
	Attachment *domain.Attachment `json:"attachment"`
	Version    int64              `json:"version"`
}
