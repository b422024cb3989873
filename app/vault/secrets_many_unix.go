//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package vault

import (
	"errors"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// The Secret Service's D-Bus names this file uses beyond go-keyring's.
const (
	secretsName       = "org.freedesktop.secrets"
	secretsPath       = "/org/freedesktop/secrets"
	secretsService    = "org.freedesktop.Secret.Service"
	secretsCollection = "org.freedesktop.Secret.Collection"
)

// getMany reads the items go-keyring stores for service (attributes
// "service" and "username" = id, in the login collection) for every id at
// once: one unlock of the collection, the searches sent together, one
// unlock of the items found, one session and one GetSecrets for all of
// them. go-keyring's Get makes seven round trips per item, each a wait on
// gnome-keyring, which a busy desktop makes long. found[i] is false where
// no item holds ids[i].
func getMany(service string, ids []string) (values []string, found []bool, err error) {
	values, found = make([]string, len(ids)), make([]bool, len(ids))
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, nil, err
	}
	coll := svc.GetLoginCollection()
	if err := svc.Unlock(coll.Path()); err != nil { // asks once if it is locked
		return nil, nil, err
	}
	calls := make([]*dbus.Call, len(ids))
	for i, id := range ids {
		if id != "" {
			search := map[string]string{"username": id, "service": service}
			calls[i] = coll.Go(secretsCollection+".SearchItems", 0, make(chan *dbus.Call, 1), search)
		}
	}
	items := make([]dbus.ObjectPath, len(ids))
	var all []dbus.ObjectPath
	for i, c := range calls {
		if c == nil {
			continue
		}
		<-c.Done
		var res []dbus.ObjectPath
		if err := c.Store(&res); err != nil {
			return nil, nil, err
		}
		if len(res) > 0 { // as go-keyring's Get: the first match
			items[i] = res[0]
			all = append(all, res[0])
		}
	}
	if len(all) == 0 {
		return values, found, nil
	}
	if err := unlockItems(svc, all); err != nil {
		return nil, nil, err
	}
	session, err := svc.OpenSession()
	if err != nil {
		return nil, nil, err
	}
	defer svc.Close(session)
	var got map[dbus.ObjectPath]ss.Secret
	err = svc.Object(secretsName, secretsPath).Call(secretsService+".GetSecrets", 0, all, session.Path()).Store(&got)
	if err != nil {
		return nil, nil, err
	}
	for i, item := range items {
		if item == "" {
			continue
		}
		s, ok := got[item]
		if !ok { // locked after all, or deleted meanwhile: say so, not "none"
			return nil, nil, errUnreadItem
		}
		values[i], found[i] = string(s.Value), true
	}
	return values, found, nil
}

// errUnreadItem is the cause when the Secret Service leaves an item it
// found locked, or does not hand its secret over.
var errUnreadItem = errors.New("the keyring did not hand over an item it holds")

// unlockItems unlocks items in one call. When that needs a prompt, they are
// unlocked as go-keyring does, one by one, so the person is asked.
func unlockItems(svc *ss.SecretService, items []dbus.ObjectPath) error {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := svc.Object(secretsName, secretsPath).Call(secretsService+".Unlock", 0, items).Store(&unlocked, &prompt)
	switch {
	case err != nil:
		return err
	case prompt != "/":
		for _, item := range items {
			if err := svc.Unlock(item); err != nil {
				return err
			}
		}
	case len(unlocked) != len(items):
		return errUnreadItem
	}
	return nil
}
