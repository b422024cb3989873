package tray

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows toasts through WinRT, called by hand through the COM vtables:
// ToastNotificationManager.CreateToastNotifierWithId(AUMID), an XmlDocument
// loaded with the toast's XML, a ToastNotification made from it, and
// ToastNotifier.Show. No PowerShell, no module beyond x/sys.
//
// The IIDs and vtable slots (0–2 are IUnknown's, 3–5 IInspectable's) are
// the Windows metadata's, as generated into halildurmus/dartwinrt:
// packages/windows_ui/lib/src/notifications/itoastnotificationmanagerstatics.dart
// (CreateToastNotifierWithId 7), itoastnotifier.dart (Show 6, get_Setting 8),
// itoastnotificationfactory.dart (CreateToastNotification 6),
// toastnotification.dart (the class the factory belongs to), and
// packages/windows_data/lib/src/xml/dom/ixmldocumentio.dart (LoadXml 6),
// ixmldocument.dart, xmldocument.dart (the class name); for closing a key's
// toasts, itoastnotification2.dart (put_Group 8),
// itoastnotificationmanagerstatics2.dart (get_History 6) and
// itoastnotificationhistory.dart (RemoveGroupWithId 7). TestIIDs pins them.

var (
	iidToastNotificationManagerStatics  = windows.GUID{Data1: 0x50ac103f, Data2: 0xd235, Data3: 0x4598, Data4: [8]byte{0xbb, 0xef, 0x98, 0xfe, 0x4d, 0x1a, 0x3a, 0xd4}}
	iidToastNotificationFactory         = windows.GUID{Data1: 0x04124b20, Data2: 0x82c6, Data3: 0x4229, Data4: [8]byte{0xb1, 0x09, 0xfd, 0x9e, 0xd4, 0x66, 0x2b, 0x53}}
	iidXmlDocumentIO                    = windows.GUID{Data1: 0x6cd0e74e, Data2: 0xee65, Data3: 0x4489, Data4: [8]byte{0x9e, 0xbf, 0xca, 0x43, 0xe8, 0x7b, 0xa6, 0x37}}
	iidXmlDocument                      = windows.GUID{Data1: 0xf7f3a506, Data2: 0x1e87, Data3: 0x42d6, Data4: [8]byte{0xbc, 0xfb, 0xb8, 0xc8, 0x09, 0xfa, 0x54, 0x94}}
	iidToastNotification2               = windows.GUID{Data1: 0x9dfb9fd1, Data2: 0x143a, Data3: 0x490e, Data4: [8]byte{0x90, 0xbf, 0xb9, 0xfb, 0xa7, 0x13, 0x2d, 0xe7}}
	iidToastNotificationManagerStatics2 = windows.GUID{Data1: 0x7ab93c52, Data2: 0x0e48, Data3: 0x4750, Data4: [8]byte{0xba, 0x9d, 0x1a, 0x41, 0x13, 0x98, 0x18, 0x47}}
)

// The runtime classes.
const (
	classToastNotificationManager = "Windows.UI.Notifications.ToastNotificationManager"
	classToastNotification        = "Windows.UI.Notifications.ToastNotification"
	classXmlDocument              = "Windows.Data.Xml.Dom.XmlDocument"
)

// Vtable slots.
const (
	slotQueryInterface            = 0
	slotRelease                   = 2
	slotCreateToastNotifierWithID = 7 // IToastNotificationManagerStatics
	slotShow                      = 6 // IToastNotifier
	slotGetSetting                = 8 // IToastNotifier
	slotCreateToastNotification   = 6 // IToastNotificationFactory
	slotLoadXML                   = 6 // IXmlDocumentIO
	slotPutGroup                  = 8 // IToastNotification2
	slotGetHistory                = 6 // IToastNotificationManagerStatics2
	slotRemoveGroupWithID         = 7 // IToastNotificationHistory
)

const (
	roInitMultithreaded = 1
	hrSFalse            = 1          // S_FALSE: this thread had WinRT already
	hrChangedMode       = 0x80010106 // RPC_E_CHANGED_MODE: it is in a single-threaded apartment
)

var (
	combase                    = windows.NewLazySystemDLL("combase.dll")
	procRoInitialize           = combase.NewProc("RoInitialize")
	procRoUninitialize         = combase.NewProc("RoUninitialize")
	procRoGetActivationFactory = combase.NewProc("RoGetActivationFactory")
	procRoActivateInstance     = combase.NewProc("RoActivateInstance")
	procWindowsCreateString    = combase.NewProc("WindowsCreateString")
	procWindowsDeleteString    = combase.NewProc("WindowsDeleteString")
)

// errToastsOff is returned by showToast when the person (or a policy) has
// turned Keywarden's notifications off in Windows' settings.
var errToastsOff = errors.New("no toast: Keywarden's notifications are turned off in Windows' settings")

// hresultError is a failed call and its HRESULT.
type hresultError struct {
	call string
	hr   uint32
}

func (e *hresultError) Error() string {
	what, ok := hresultNames[e.hr]
	if !ok {
		what = windows.Errno(e.hr).Error()
	}
	return fmt.Sprintf("%s failed: HRESULT 0x%08X (%s)", e.call, e.hr, what)
}

// hresultNames names the HRESULTs these calls are known to give, where
// Wine's system messages do not.
var hresultNames = map[uint32]string{
	0x80040154: "REGDB_E_CLASSNOTREG: the class is not registered",
	0x80004002: "E_NOINTERFACE",
	0x80070490: "E_ELEMENT_NOT_FOUND",
}

func failed(call string, hr uintptr) error {
	if int32(hr) >= 0 {
		return nil
	}
	return &hresultError{call: call, hr: uint32(hr)}
}

// probeToasts makes everything a toast needs but does not show it: it
// reports whether toasts can be made here, and which call fails if not.
func probeToasts(appID string) error {
	return withWinRT(func() error {
		return makeToast(appID, `<toast><visual><binding template="ToastGeneric"><text>Keywarden</text></binding></visual></toast>`,
			func(notifier, toast *comObject) error { return nil })
	})
}

// showToast shows a toast with the given XML, as the app appID, in group
// (none for ""), so that removeToastGroup can take it off the screen and
// out of the notification centre. An error means Windows did not take it:
// nothing was shown.
func showToast(appID, content, group string) error {
	return withWinRT(func() error {
		return makeToast(appID, content, func(notifier, toast *comObject) error {
			if group != "" {
				setGroup(toast, group) // without one it is shown all the same
			}
			var setting int32
			hr, _, _ := syscall.SyscallN(notifier.method(slotGetSetting), notifier.this(), uintptr(unsafe.Pointer(&setting)))
			// NotificationSetting: 0 Enabled, 1 DisabledForApplication,
			// 2 DisabledForUser, 3 DisabledByGroupPolicy, 4 DisabledByManifest.
			// The first three are a person's or an administrator's choice.
			// The manifest one is about packaged apps, which Keywarden is not,
			// so that, and a setting Windows cannot tell, is tried.
			if int32(hr) >= 0 && setting >= 1 && setting <= 3 {
				return fmt.Errorf("%w (NotificationSetting %d)", errToastsOff, setting)
			}
			hr, _, _ = syscall.SyscallN(notifier.method(slotShow), notifier.this(), toast.this())
			return failed("ToastNotifier.Show", hr)
		})
	})
}

// setGroup puts the toast in a group; it reports whether it could.
func setGroup(toast *comObject, group string) bool {
	t2, err := toast.queryInterface(&iidToastNotification2, "ToastNotification as IToastNotification2")
	if err != nil {
		return false
	}
	defer t2.release()
	g, err := newHString(group)
	if err != nil {
		return false
	}
	defer deleteHString(g)
	hr, _, _ := syscall.SyscallN(t2.method(slotPutGroup), t2.this(), g)
	return int32(hr) >= 0
}

// removeToastGroup removes the app's toasts of a group from the screen and
// the notification centre (ToastNotificationHistory.RemoveGroup).
func removeToastGroup(appID, group string) error {
	return withWinRT(func() error {
		statics, err := activationFactory(classToastNotificationManager, &iidToastNotificationManagerStatics2)
		if err != nil {
			return err
		}
		defer statics.release()
		var history *comObject
		hr, _, _ := syscall.SyscallN(statics.method(slotGetHistory), statics.this(), uintptr(unsafe.Pointer(&history)))
		if err := failed("ToastNotificationManager.History", hr); err != nil {
			return err
		}
		defer history.release()
		g, err := newHString(group)
		if err != nil {
			return err
		}
		defer deleteHString(g)
		id, err := newHString(appID)
		if err != nil {
			return err
		}
		defer deleteHString(id)
		hr, _, _ = syscall.SyscallN(history.method(slotRemoveGroupWithID), history.this(), g, id)
		return failed("ToastNotificationHistory.RemoveGroup", hr)
	})
}

// withWinRT runs fn on one OS thread in WinRT's multithreaded apartment.
func withWinRT(fn func() error) error {
	for _, p := range []*windows.LazyProc{procRoInitialize, procRoUninitialize, procRoGetActivationFactory,
		procRoActivateInstance, procWindowsCreateString, procWindowsDeleteString} {
		if err := p.Find(); err != nil {
			return err
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	hr, _, _ := procRoInitialize.Call(roInitMultithreaded)
	switch {
	case hr == 0 || hr == hrSFalse:
		defer procRoUninitialize.Call()
	case uint32(hr) == hrChangedMode: // calls work in the thread's own apartment
	default:
		return failed("RoInitialize", hr)
	}
	return fn()
}

// makeToast makes the notifier for appID and a toast of content, and
// hands both to use.
func makeToast(appID, content string, use func(notifier, toast *comObject) error) error {
	manager, err := activationFactory(classToastNotificationManager, &iidToastNotificationManagerStatics)
	if err != nil {
		return err
	}
	defer manager.release()
	id, err := newHString(appID)
	if err != nil {
		return err
	}
	defer deleteHString(id)
	var notifier *comObject
	hr, _, _ := syscall.SyscallN(manager.method(slotCreateToastNotifierWithID), manager.this(), id, uintptr(unsafe.Pointer(&notifier)))
	if err := failed("ToastNotificationManager.CreateToastNotifierWithId", hr); err != nil {
		return err
	}
	defer notifier.release()

	doc, err := xmlDocument(content)
	if err != nil {
		return err
	}
	defer doc.release()
	factory, err := activationFactory(classToastNotification, &iidToastNotificationFactory)
	if err != nil {
		return err
	}
	defer factory.release()
	var toast *comObject
	hr, _, _ = syscall.SyscallN(factory.method(slotCreateToastNotification), factory.this(), doc.this(), uintptr(unsafe.Pointer(&toast)))
	if err := failed("ToastNotification(XmlDocument)", hr); err != nil {
		return err
	}
	defer toast.release()
	return use(notifier, toast)
}

// xmlDocument returns an IXmlDocument loaded with content.
func xmlDocument(content string) (*comObject, error) {
	class, err := newHString(classXmlDocument)
	if err != nil {
		return nil, err
	}
	defer deleteHString(class)
	var inst *comObject
	hr, _, _ := procRoActivateInstance.Call(class, uintptr(unsafe.Pointer(&inst)))
	if err := failed("RoActivateInstance("+classXmlDocument+")", hr); err != nil {
		return nil, err
	}
	defer inst.release()
	io, err := inst.queryInterface(&iidXmlDocumentIO, "XmlDocument as IXmlDocumentIO")
	if err != nil {
		return nil, err
	}
	defer io.release()
	text, err := newHString(content)
	if err != nil {
		return nil, err
	}
	defer deleteHString(text)
	hr, _, _ = syscall.SyscallN(io.method(slotLoadXML), io.this(), text)
	if err := failed("XmlDocument.LoadXml", hr); err != nil {
		return nil, err
	}
	return inst.queryInterface(&iidXmlDocument, "XmlDocument as IXmlDocument")
}

// activationFactory returns the factory (or statics) interface iid of a
// runtime class.
func activationFactory(class string, iid *windows.GUID) (*comObject, error) {
	name, err := newHString(class)
	if err != nil {
		return nil, err
	}
	defer deleteHString(name)
	var f *comObject
	hr, _, _ := procRoGetActivationFactory.Call(name, uintptr(unsafe.Pointer(iid)), uintptr(unsafe.Pointer(&f)))
	if err := failed("RoGetActivationFactory("+class+")", hr); err != nil {
		return nil, err
	}
	return f, nil
}

// comObject is a COM interface pointer: what it points at starts with the
// vtable's address.
type comObject struct{ vtbl *[16]uintptr }

func (o *comObject) this() uintptr           { return uintptr(unsafe.Pointer(o)) }
func (o *comObject) method(slot int) uintptr { return o.vtbl[slot] }

func (o *comObject) release() {
	syscall.SyscallN(o.method(slotRelease), o.this())
}

func (o *comObject) queryInterface(iid *windows.GUID, what string) (*comObject, error) {
	var out *comObject
	hr, _, _ := syscall.SyscallN(o.method(slotQueryInterface), o.this(), uintptr(unsafe.Pointer(iid)), uintptr(unsafe.Pointer(&out)))
	if err := failed("QueryInterface("+what+")", hr); err != nil {
		return nil, err
	}
	return out, nil
}

// newHString returns s as an HSTRING, to be deleted with deleteHString.
func newHString(s string) (uintptr, error) {
	u, err := windows.UTF16FromString(s)
	if err != nil {
		return 0, err
	}
	var h uintptr
	hr, _, _ := procWindowsCreateString.Call(uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)-1), uintptr(unsafe.Pointer(&h)))
	if err := failed("WindowsCreateString", hr); err != nil {
		return 0, err
	}
	return h, nil
}

func deleteHString(h uintptr) { procWindowsDeleteString.Call(h) }
