/// Whether a flat column may hold nulls. (REPEATED columns are nested and refused at open.)
package enum ParquetRepetition: Sendable, Equatable {
    case required
    case optional
}
