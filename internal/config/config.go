// Package config reads Kechuang's configuration from the environment, with
// a typed table of options, each with its default and validator.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"kechuang/internal/mailer"
)

// Config is the process configuration.
type Config struct {
	DatabaseURL   string
	Addr          string
	LogLevel      slog.Level
	SecureCookies bool
	TrustProxy    bool
	DataDir       string // PostgreSQL: where the audit key and anchors live
	AuditKey      string // the audit chain's HMAC key; "" for the key file
	MetricsToken  string
	SMTPURL       string // "" : notices are not mailed
	PublicURL     string // the site's public address, for links in mail
	NotifyDueDays int    // working days before due_on that registrars are told
	RulesDir      string // the bureau's rule files; "" for the built-in ones
	MatchConfig   string // the matching engine's weights (a JSON file, match.Config); "" for the defaults
}

// Option describes one environment variable.
type Option struct {
	Name, Default, Help string
	set                 func(*Config, string) error
}

// Options lists every option; `kechuang help` prints them with their
// defaults and `kechuang config dump` with their effective values.
var Options = []Option{
	{"KECHUANG_DATABASE_URL", "sqlite:./data/kechuang.db", "数据库：sqlite:路径 或 postgres://…", func(c *Config, v string) error {
		if !strings.HasPrefix(v, "sqlite:") && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
			return fmt.Errorf("应以 sqlite: 或 postgres:// 开头")
		}
		c.DatabaseURL = v
		return nil
	}},
	{"KECHUANG_ADDR", "127.0.0.1:8080", "监听地址 host:port", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("应为 host:port")
		}
		c.Addr = v
		return nil
	}},
	{"KECHUANG_LOG_LEVEL", "info", "日志级别 debug|info|warn|error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"KECHUANG_SECURE_COOKIES", "false", "在 HTTPS 后面运行时设为 true", boolOpt(func(c *Config, b bool) { c.SecureCookies = b })},
	{"KECHUANG_TRUST_PROXY", "false", "从 X-Forwarded-For 取客户端地址（仅在反向代理后设为 true）", boolOpt(func(c *Config, b bool) { c.TrustProxy = b })},
	{"KECHUANG_DATA_DIR", "./data", "用 PostgreSQL 时存放审计密钥 audit.key 和锚点文件的目录（SQLite 时放在数据库文件旁）", func(c *Config, v string) error {
		c.DataDir = v
		return nil
	}},
	{"KECHUANG_AUDIT_KEY", "", "审计链的 HMAC 密钥（至少 32 个字符）；留空则用数据目录中的 audit.key，首次启动时生成（权限 0600）", func(c *Config, v string) error {
		if v != "" && len(v) < 32 {
			return fmt.Errorf("至少 32 个字符")
		}
		c.AuditKey = v
		return nil
	}},
	{"KECHUANG_METRICS_TOKEN", "", "设置后 /metrics 须带 Authorization: Bearer <该值>（未设置时公开）", func(c *Config, v string) error {
		if v != "" && len(v) < 16 {
			return fmt.Errorf("至少16个字符")
		}
		c.MetricsToken = v
		return nil
	}},
	{"KECHUANG_SMTP_URL", "", "发送通知邮件的 SMTP 服务器：smtp://用户:密码@主机:587?from=发件地址（要求 STARTTLS）、smtps://…:465 或本机中继 smtp://主机:25?from=…&tls=none；留空则不发邮件，只有站内通知", func(c *Config, v string) error {
		if v != "" {
			if _, err := mailer.ParseURL(v); err != nil {
				return err
			}
		}
		c.SMTPURL = v
		return nil
	}},
	{"KECHUANG_PUBLIC_URL", "", "本站的公网地址（如 https://kc.example.cn），用于通知邮件中的链接；留空则邮件中只写路径", func(c *Config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("应为 http:// 或 https:// 开头的地址")
			}
		}
		c.PublicURL = v
		return nil
	}},
	{"KECHUANG_NOTIFY_DUE_DAYS", "3", "办理时限届满前几个工作日提醒登记员（0–30）", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 30 {
			return fmt.Errorf("应为 0 到 30 的整数")
		}
		c.NotifyDueDays = n
		return nil
	}},
	{"KECHUANG_RULES_DIR", "", "政策与认定规则文件的目录（格式见 internal/rules/sets/README.md）；修改其中的文件后一秒内生效，无须重启；留空则用内置规则", func(c *Config, v string) error {
		if v != "" {
			if st, err := os.Stat(v); err != nil || !st.IsDir() {
				return fmt.Errorf("目录不存在")
			}
		}
		c.RulesDir = v
		return nil
	}},
	{"KECHUANG_MATCH_CONFIG", "", "匹配引擎的权重文件（JSON，字段见 docs/match.md：字段权重、相关词、结构特征的权重等）；留空则用内置默认值", func(c *Config, v string) error {
		if v != "" {
			if st, err := os.Stat(v); err != nil || st.IsDir() {
				return fmt.Errorf("文件不存在")
			}
		}
		c.MatchConfig = v
		return nil
	}},
}

// secretOptions are never printed by Dump, only whether they are set.
var secretOptions = map[string]bool{"KECHUANG_AUDIT_KEY": true, "KECHUANG_METRICS_TOKEN": true}

func boolOpt(set func(*Config, bool)) func(*Config, string) error {
	return func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case "1", "true", "yes":
			set(c, true)
		case "0", "false", "no", "":
			set(c, false)
		default:
			return fmt.Errorf("应为 true 或 false")
		}
		return nil
	}
}

// Load reads the options from getenv, reporting every invalid one.
func Load(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := &Config{}
	var errs []string
	for _, o := range Options {
		v := getenv(o.Name)
		if v == "" {
			v = o.Default
		}
		if err := o.set(c, v); err != nil {
			shown := strconv.Quote(v)
			if secretOptions[o.Name] { // even a wrong key may be most of the right one
				shown = "***"
			}
			errs = append(errs, fmt.Sprintf("%s=%s: %v", o.Name, shown, err))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("配置错误：\n  %s", strings.Join(errs, "\n  "))
	}
	return c, nil
}

// Dump returns the effective configuration, one NAME=value line per option
// in Options order, marking the values left at their default. A password
// inside a URL value is masked, so the output can be pasted into a ticket.
// An invalid option fails as in Load.
func Dump(getenv func(string) string) ([]string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if _, err := Load(getenv); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(Options))
	for _, o := range Options {
		v, note := getenv(o.Name), ""
		if v == "" {
			v, note = o.Default, "  # 默认值"
		}
		if secretOptions[o.Name] && v != "" {
			v = "***"
		}
		out = append(out, o.Name+"="+maskSecret(v)+note)
	}
	return out, nil
}

// maskSecret hides the password of a URL ("postgres://u:xxxxx@host/db").
func maskSecret(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return v
	}
	if _, has := u.User.Password(); !has {
		return v
	}
	return u.Redacted()
}
