// Package mailer sends the notices' mail over SMTP (github.com/wneessen/go-mail),
// configured by one URL (KECHUANG_SMTP_URL):
//
//	smtp://user:pass@host:587?from=noreply@example.cn   STARTTLS required (the default)
//	smtps://user:pass@host:465?from=noreply@example.cn  TLS from the start
//	smtp://host:25?from=noreply@example.cn&tls=none     a local relay, no TLS (no password then)
//
// tls= may also be "opportunistic" (STARTTLS when the server offers it).
package mailer

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"kechuang/internal/domain"
)

// Config is an SMTP server and the sender's address.
type Config struct {
	Host               string
	Port               int
	Username, Password string
	From               string
	// TLS is "starttls" (required), "opportunistic", "ssl" (smtps) or "none".
	TLS string
}

// ParseURL reads an smtp:// or smtps:// URL; every error names what is
// wrong and never repeats the password.
func ParseURL(s string) (*Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("不是有效的 URL（应为 smtp://用户:密码@主机:端口?from=发件地址）")
	}
	c := &Config{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = "starttls", 587
	case "smtps":
		c.TLS, c.Port = "ssl", 465
	default:
		return nil, fmt.Errorf("应以 smtp:// 或 smtps:// 开头")
	}
	if c.Host == "" || strings.ContainsAny(c.Host, " /\\") {
		return nil, fmt.Errorf("缺少邮件服务器主机名")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("端口应为 1–65535")
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	switch t := q.Get("tls"); t {
	case "":
	case "none", "opportunistic":
		if u.Scheme == "smtps" {
			return nil, fmt.Errorf("smtps:// 总是加密，不能设置 tls=%s", t)
		}
		c.TLS = t
	default:
		return nil, fmt.Errorf("tls 应为 none 或 opportunistic（不设置则要求 STARTTLS）")
	}
	if c.TLS == "none" && c.Password != "" {
		return nil, fmt.Errorf("不加密（tls=none）时不能带密码：密码会以明文传输")
	}
	from := q.Get("from")
	a, err := mail.ParseAddress(from)
	if from == "" || err != nil || a.Name != "" || a.Address != from {
		return nil, fmt.Errorf("缺少或无效的发件地址 from=（例如 ?from=noreply@example.cn）")
	}
	c.From = from
	return c, nil
}

// Sender sends mail through one SMTP server, one connection a mail.
type Sender struct {
	cfg     Config
	timeout time.Duration
}

// New returns a sender for cfg.
func New(cfg Config) *Sender { return &Sender{cfg: cfg, timeout: 30 * time.Second} }

// Send sends m (plain text, UTF-8) and reports the server's refusal or
// the connection's failure.
func (s *Sender) Send(ctx context.Context, m *domain.Mail) error {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("mailer: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mailer: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout)}
	switch s.cfg.TLS {
	case "ssl":
		opts = append(opts, gomail.WithSSL())
	case "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mailer: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mailer: send to %s via %s: %w", m.To, net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)), err)
	}
	return nil
}
