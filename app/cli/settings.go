package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/keywarden/keywarden/app/keys"
)

const settingsUsage = "settings [--json] | settings set NAME VALUE"

// settingsAbout says what each setting does, in the order keys lists them.
var settingsAbout = map[string]string{
	"review-days-read-only": "days between reviews of a key that only reads, unless it has its own",
	"review-days-risky":     "days between reviews of a key that can trade or move money, unless it has its own",
	"notifications":         "remind you with notifications (on or off; off keeps what falls due for one notification when on again)",
	"start-at-login":        "start the tray part at login (changed in the window)",
	"idle-close-minutes":    "close the window after this many minutes without input, or never (the tray part stays)",
	"watch-minutes":         "read the watched accounts' ledgers every this many minutes (keywarden watch NAME)",
	"unlock-minutes":        "after an app 2FA code, minutes the window asks for no other code (0: ask every time; never past the idle close)",
}

// settingsInput is what settings needs: no Name lists them all.
type settingsInput struct {
	JSON        bool
	Name, Value string
}

func runSettings(e *env, args []string) int {
	fs := newFlags(e, "settings", settingsUsage)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	in := settingsInput{JSON: *asJSON}
	switch {
	case len(pos) == 0:
		err = listSettings(e, in)
	case pos[0] == "set" && len(pos) == 3 && !in.JSON:
		in.Name, in.Value = pos[1], pos[2]
		err = setSetting(e, in)
	case pos[0] == "set":
		err = usageErr("Name one setting and its value: keywarden settings set NAME VALUE (the names are %s).", settingNameList())
	default:
		err = usageErr("%q is not something settings does.\nusage: keywarden %s", pos[0], settingsUsage)
	}
	if err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// jsonSetting is one setting in settings --json; value is as settings set
// takes it.
type jsonSetting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	About string `json:"about"`
}

// listSettings prints every setting with its value.
func listSettings(e *env, in settingsInput) error {
	svc, err := e.newService(false)
	if err != nil {
		return err
	}
	set, err := svc.Settings()
	if err != nil && !errors.Is(err, keys.ErrSettingsDamaged) {
		return err
	}
	if err != nil {
		e.say("keywarden: note: %s", message(err))
	}
	items := make([]jsonSetting, 0, len(keys.SettingNames()))
	for _, name := range keys.SettingNames() {
		v, err := set.Get(name)
		if err != nil {
			return err
		}
		items = append(items, jsonSetting{Name: name, Value: v, About: settingsAbout[name]})
	}
	if in.JSON {
		return writeJSON(e.rawOut, items)
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tWHAT IT DOES")
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", it.Name, it.Value, it.About)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "They are kept in %s, for the window, the tray part and the command line alike.\nChange one with: keywarden settings set NAME VALUE\n", svc.SettingsFile().Path())
	return nil
}

// setSetting changes one setting, with the window's rules, and tells the
// tray part (Main does, once the service saved it).
func setSetting(e *env, in settingsInput) error {
	svc, err := e.newService(false)
	if err != nil {
		return err
	}
	err = svc.UpdateSettings(func(s *keys.Settings) error { return s.Set(in.Name, in.Value) })
	var bad *keys.SettingError
	if errors.As(err, &bad) {
		return &userError{msg: message(err) + " Nothing was changed.", err: err, code: ExitUsage}
	}
	if err != nil {
		return err
	}
	set, err := svc.Settings()
	if err != nil {
		return err
	}
	v, err := set.Get(in.Name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s is now %s. The window and the tray part follow it.\n", in.Name, v)
	return nil
}

func settingNameList() string {
	names := keys.SettingNames()
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " and "
		default:
			out += ", "
		}
		out += n
	}
	return out
}
