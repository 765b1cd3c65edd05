package carillon.bot.library;

/**
 * How loud an audio file is, measured at import from the decoded 48 kHz stereo audio (what is played):
 * integrated loudness in LUFS and true peak in dBTP, as ITU-R BS.1770-4 defines them (EBU R 128).
 */
public record Loudness(double integratedLufs, double truePeakDbtp) {}
