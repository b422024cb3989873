/*
 * A stand-in for bcryptprimitives.dll, for Wine before 8.13 only (Debian 12
 * ships 8.0): Go 1.22 and later read random bytes through ProcessPrng,
 * which that Wine lacks, so no Go program starts. This answers ProcessPrng
 * through RtlGenRandom (advapi32's SystemFunction036). It is a test
 * fixture, copied into a private Wine prefix by .ci/wine/prefix.sh; it is
 * never shipped and never used on Windows.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
