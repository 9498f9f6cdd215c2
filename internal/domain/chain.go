package domain

import "time"

// The chain (成果转化链条) carries one id from an achievement or a need
// through events, challenges and intentions to a contract and a local
// producer. Its figures and its timeline are contributed by the modules
// themselves: each module registers a figure source and a link source in
// the service (chainSources, chainLinkSources in service/chain.go), so a
// new module adds its links without editing the others.

// Chain figure keys: the names of GET /api/v1/stats/chain's figures.
const (
	ChainAchievementsPublished = "achievements_published" // achievements published in the year
	ChainNeedsPublished        = "needs_published"        // enterprise needs published in the year
	ChainEvents                = "events"                 // 路演/对接会 held in the year
	ChainEnterpriseServices    = "enterprise_services"    // 服务企业家次: service records in the year
	ChainIntentions            = "intentions"             // 意向 signed in the year
	ChainChallenges            = "challenges"             // 揭榜挂帅 challenges published (发榜) in the year
	ChainChallengeChains       = "challenge_chains"       // distinct industrial chains of those challenges
	ChainContractsLinked       = "contracts_linked"       // registered contracts naming a chain source
	ChainLocalConversions      = "local_conversions"      // distinct achievements converted by a buyer in the city
)

// ChainFigures are counts by figure key, for one year (and optionally one
// industrial chain). Sources add their keys; a key two sources give is a
// programming error (the service refuses it).
type ChainFigures map[string]int64

// ChainRef names one record of the chain.
type ChainRef struct {
	Kind string `json:"kind"` // "achievement", "need", "challenge", "event", "intention", "contract"
	ID   int64  `json:"id"`
}

// ChainLink is one dated step on an achievement's or a need's timeline:
// filed, published, pitched at an event, an intention, a challenge
// answered, a contract registered…
type ChainLink struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`  // the module, as ChainRef.Kind
	Step  string    `json:"step"`  // a code of the step, e.g. "pitched", "intention", "registered"
	Label string    `json:"label"` // zh-CN label (a message id)
	Ref   ChainRef  `json:"ref"`   // the record the step is about
	Title string    `json:"title"` // what the reader sees of that record (public fields only)
	// Public, when not "", is the title for a reader who may not open the
	// record: Title and Note then name what only the record's parties may
	// read (an intention's enterprise, private to the two parties, the
	// organiser and the bureau; a contract's title and registration
	// number), and such a reader sees Public and no Note.
	Public string `json:"-"`
	Note   string `json:"note,omitempty"` // a detail of the step: an outcome (a message id), a registration number
	Local  *bool  `json:"local,omitempty"`
}
