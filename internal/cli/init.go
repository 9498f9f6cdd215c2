package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
)

// AdminPasswordEnv is where `kechuang init` reads the administrator's
// password; unset, it asks on the terminal without echo.
const AdminPasswordEnv = "KECHUANG_ADMIN_PASSWORD"

// runInit serves `kechuang init`: on an empty database it creates the
// schema and installs a city (service.Admin.InstallCity) — from the
// national table (--city-code) or from a city file (--city-file) — with
// its administrator, and no demo data. A database already initialised or
// holding any organisation, user or contract is refused before anything
// is written.
func runInit(ctx context.Context, env *Env, args []string) error {
	const use = "用法：kechuang init --city-code 代码 --admin-user 用户名 [--admin-name 姓名] [--bureau-district 代码] [--city-file F]"
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	code := fs.String("city-code", "", "城市的行政区划代码（GB/T 2260，地级市或直辖市，如 320500）")
	file := fs.String("city-file", "", "城市文件（YAML，格式见 docs/city-file.md）；给出时城市取自该文件")
	adminUser := fs.String("admin-user", "", "管理员的用户名")
	adminName := fs.String("admin-name", "系统管理员", "管理员的姓名")
	bureauIn := fs.String("bureau-district", "", "科技局所在区县的代码（默认为第一个区县；仅用于 --city-code）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *adminUser == "" || (*code == "" && *file == "") {
		return errors.New(use)
	}
	c, err := initCity(*code, *file, *bureauIn)
	if err != nil {
		return err
	}
	admin := service.InstallAdmin{Username: *adminUser, DisplayName: *adminName}
	if err := service.CheckInstall(c, admin, false); err != nil { // before the password is asked for
		return describe(err)
	}
	if admin.Password, err = adminPassword(env); err != nil {
		return err
	}
	if err := service.CheckInstall(c, admin, true); err != nil {
		return describe(err)
	}

	cfg, svc, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := refuseUsed(ctx, svc); err != nil {
		return err
	}
	if applied, err := svc.Migrate(ctx); err != nil {
		return err
	} else if len(applied) > 0 {
		fmt.Fprintf(env.Stdout, "创建表结构：%s\n", strings.Join(applied, ", "))
	}
	defer anchorAtExit(svc, newLogger(env, cfg.LogLevel))
	in, err := svc.Admin.InstallCity(ctx, c, admin)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stdout, "已安装城市 %s（%s）：区县 %d 个，产业链 %d 条，年度目标 %d 年\n",
		c.Name, c.Code, len(c.Districts), len(c.Chains), len(c.TargetYears()))
	fmt.Fprintf(env.Stdout, "  科技局：%s（%s）\n", in.Bureau.Name, in.Bureau.RegionCode)
	fmt.Fprintf(env.Stdout, "  技术合同登记机构：%s（登记号地区码 %s）\n", in.Registry.Name, in.Registry.RegionCode)
	fmt.Fprintf(env.Stdout, "  管理员：%s（%s）\n", in.Admin.Username, in.Admin.DisplayName)
	fmt.Fprintln(env.Stdout, "下一步：kechuang serve（不载入演示数据）；以管理员登录后，年度目标在“城市设置”（/admin/settings）、产业链在“产业链”（/admin/chains）中修改。")
	return nil
}

// initCity is the city to install: the file's, or the national table's
// entry for code. With both, they must name the same city.
func initCity(code, file, bureauIn string) (*city.City, error) {
	if file == "" {
		return city.FromTable(gb2260.Default(), strings.TrimSpace(code), strings.TrimSpace(bureauIn))
	}
	if bureauIn != "" {
		return nil, errors.New("--bureau-district 只用于 --city-code：城市文件中科技局的位置写在 bureau.code")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("城市文件：%w", err)
	}
	c, err := city.Load(bytes.NewReader(data))
	if err != nil {
		return nil, describe(err)
	}
	if code != "" && code != c.Code {
		return nil, fmt.Errorf("--city-code %s 与城市文件中的 code %s 不一致", code, c.Code)
	}
	return c, nil
}

// refuseUsed refuses a database that was initialised or holds data, with
// the reason, before the schema is touched.
func refuseUsed(ctx context.Context, svc *service.Service) error {
	if ok, err := svc.Installed(ctx); err != nil {
		return err
	} else if ok {
		name := svc.Meta.CityName(ctx)
		code, _ := svc.Meta.CityCode(ctx)
		return fmt.Errorf("数据库已初始化（%s %s）：init 只能在空数据库上运行一次；要换一个城市，请用新的数据库", code, name)
	}
	if used, err := svc.HasData(ctx); err != nil {
		return err
	} else if used {
		return errors.New("数据库中已有数据（机构、用户或合同）：init 只能在空数据库上运行")
	}
	return nil
}

// adminPassword is the administrator's password: KECHUANG_ADMIN_PASSWORD,
// else typed twice on the terminal without echo.
func adminPassword(env *Env) (string, error) {
	if pw := env.Getenv(AdminPasswordEnv); pw != "" {
		return pw, nil
	}
	read := env.ReadPassword
	if read == nil {
		read = terminalPassword
	}
	pw, err := read(env, "管理员密码（至少8位）：")
	if err != nil {
		return "", err
	}
	if err := service.CheckInstallPassword(pw); err != nil {
		return "", describe(err)
	}
	again, err := read(env, "再输入一次：")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", errors.New("两次输入的密码不一致")
	}
	return pw, nil
}

// terminalPassword asks on the terminal without echo.
func terminalPassword(env *Env, prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("未设置 %s，且标准输入不是终端：请设置该环境变量，或在终端上运行以输入密码", AdminPasswordEnv)
	}
	fmt.Fprint(env.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("读取密码：%w", err)
	}
	return string(b), nil
}

// runCity serves `kechuang city export [--out F]`: the installed city (from
// the database) in the city-file format, on standard output or in a new
// file; `kechuang init --city-file` of it installs the same city.
func runCity(ctx context.Context, env *Env, args []string) error {
	const use = "用法：kechuang city export [--out F]"
	if len(args) == 0 || args[0] != "export" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("city export", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("out", "", "写入的文件（默认标准输出；不覆盖已有文件）")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(use)
	}
	_, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	c, err := svc.Admin.ExportCity(ctx, domain.SystemActor())
	if err != nil {
		return describe(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s（%s）的城市文件，由 kechuang city export 写出；格式见 docs/city-file.md。\n", c.Name, c.Code)
	if err := city.Write(&b, c); err != nil {
		return err
	}
	if *out == "" {
		_, err := env.Stdout.Write(b.Bytes())
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s 已存在，不会覆盖", *out)
		}
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已写出 %s（%s，区县 %d 个，产业链 %d 条）\n", *out, c.Name, len(c.Districts), len(c.Chains))
	return nil
}
