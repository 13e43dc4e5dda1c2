import DriftStats
import Foundation

/// The distinct fields of a text column by their bytes, each with a code: an open-addressing table over the raw
/// bytes, so a value seen before costs a short hash and one comparison instead of building and hashing a String.
/// Fields of at most eight bytes (most levels: `yes`, `north`, `v9`) have a table of their own, keyed by the bytes
/// packed into one word with the length: one multiplication for the hash and one comparison for the match.
struct FieldInterner {
    private var shortKeys: [UInt64] = []
    private var shortLengths: [Int] = []
    private var shortCodes: [Int32] = []
    /// Short entry indices by hash; -1 is empty. A power of two, at most half full; `shortShift` takes the
    /// hash's top bits, the ones a multiplication mixes best.
    private var shortSlots = [Int32](repeating: -1, count: 64)
    private var shortShift: UInt64 = 64 - 6

    /// Each entry's bytes, back to back; entry i ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var codes: [Int32] = []
    private var hashes: [Int] = []
    /// Entry indices by hash; -1 is empty. The count is a power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    /// The code stored for `field`, or the one `makeCode` gives it the first time it is seen. `limit`, when
    /// given, is the end of readable memory after the field, so a short field can be loaded as one word.
    @inline(__always)
    mutating func code(
        for field: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>? = nil, makeCode: (UnsafeBufferPointer<UInt8>) throws -> Int32
    ) rethrows -> Int32 {
        if field.count <= 8, let start = field.baseAddress {
            return try self.shortCode(for: field, key: Self.packed(start, count: field.count, readableUpTo: limit), makeCode: makeCode)
        }
        let hash = Self.hash(field)
        var slot = hash & (self.slots.count - 1)
        while true {
            let entry = Int(self.slots[slot])
            if entry < 0 { break }
            if self.hashes[entry] == hash, self.entry(entry, equals: field) { return self.codes[entry] }
            slot = (slot + 1) & (self.slots.count - 1)
        }
        let code = try makeCode(field)
        self.slots[slot] = Int32(self.codes.count)
        self.bytes.append(contentsOf: field)
        self.ends.append(self.bytes.count)
        self.codes.append(code)
        self.hashes.append(hash)
        if self.codes.count * 2 > self.slots.count { self.grow() }
        return code
    }

    @inline(__always)
    private mutating func shortCode(for field: UnsafeBufferPointer<UInt8>, key: UInt64, makeCode: (UnsafeBufferPointer<UInt8>) throws -> Int32)
        rethrows -> Int32
    {
        let length = field.count
        var slot = Self.shortSlot(key: key, length: length, shift: self.shortShift)
        let mask = self.shortSlots.count - 1
        while true {
            let entry = Int(self.shortSlots[slot])
            if entry < 0 { break }
            if self.shortKeys[entry] == key, self.shortLengths[entry] == length { return self.shortCodes[entry] }
            slot = (slot + 1) & mask
        }
        let code = try makeCode(field)
        self.shortSlots[slot] = Int32(self.shortCodes.count)
        self.shortKeys.append(key)
        self.shortLengths.append(length)
        self.shortCodes.append(code)
        if self.shortCodes.count * 2 > self.shortSlots.count { self.growShort() }
        return code
    }

    @inline(__always)
    private static func shortSlot(key: UInt64, length: Int, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The field's bytes in the low bytes of a word (first byte lowest), the rest zero.
    @inline(__always)
    private static func packed(_ start: UnsafePointer<UInt8>, count: Int, readableUpTo limit: UnsafePointer<UInt8>?) -> UInt64 {
        if let limit, limit - start >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            return count == 8 ? word : word & ((1 &<< UInt64(count &* 8)) &- 1)
        }
        var key: UInt64 = 0
        for index in 0..<count { key |= UInt64(start[index]) &<< UInt64(index &* 8) }
        return key
    }

    private mutating func growShort() {
        var slots = [Int32](repeating: -1, count: self.shortSlots.count * 2)
        let shift = self.shortShift - 1
        for entry in self.shortCodes.indices {
            var slot = Self.shortSlot(key: self.shortKeys[entry], length: self.shortLengths[entry], shift: shift)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry)
        }
        self.shortSlots = slots
        self.shortShift = shift
    }

    private func entryBytes(_ entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : self.ends[entry - 1])..<self.ends[entry]
    }

    @inline(__always)
    private func entry(_ entry: Int, equals field: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = self.entryBytes(entry)
        guard range.count == field.count else { return false }
        return self.bytes.withUnsafeBufferPointer { bytes in
            guard let stored = bytes.baseAddress.map({ $0 + range.lowerBound }), let given = field.baseAddress else { return field.isEmpty }
            // Levels are mostly short: a loop beats a call to memcmp.
            guard field.count <= 16 else { return memcmp(stored, given, field.count) == 0 }
            for index in 0..<field.count where stored[index] != given[index] { return false }
            return true
        }
    }

    private mutating func grow() {
        var slots = [Int32](repeating: -1, count: self.slots.count * 2)
        for entry in self.codes.indices {
            var slot = self.hashes[entry] & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry)
        }
        self.slots = slots
    }

    /// FNV-1a with a final mix so the low bits, which pick the slot, depend on every byte.
    @inline(__always)
    private static func hash(_ field: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in field { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 29
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }
}
