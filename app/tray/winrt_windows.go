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
// ixmldocument.dart, xmldocument.dart (the class name). TestIIDs pins them.

var (
	iidToastNotificationManagerStatics = windows.GUID{Data1: 0x50ac103f, Data2: 0xd235, Data3: 0x4598, Data4: [8]byte{0xbb, 0xef, 0x98, 0xfe, 0x4d, 0x1a, 0x3a, 0xd4}}
	iidToastNotificationFactory        = windows.GUID{Data1: 0x04124b20, Data2: 0x82c6, Data3: 0x4229, Data4: [8]byte{0xb1, 0x09, 0xfd, 0x9e, 0xd4, 0x66, 0x2b, 0x53}}
	iidXmlDocumentIO                   = windows.GUID{Data1: 0x6cd0e74e, Data2: 0xee65, Data3: 0x4489, Data4: [8]byte{0x9e, 0xbf, 0xca, 0x43, 0xe8, 0x7b, 0xa6, 0x37}}
	iidXmlDocument                     = windows.GUID{Data1: 0xf7f3a506, Data2: 0x1e87, Data3: 0x42d6, Data4: [8]byte{0xbc, 0xfb, 0xb8, 0xc8, 0x09, 0xfa, 0x54, 0x94}}
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

// showToast shows a toast with the given XML, as the app appID. An error
// means Windows did not take it: nothing was shown.
func showToast(appID, content string) error {
	return withWinRT(func() error {
		return makeToast(appID, content, func(notifier, toast *comObject) error {
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
