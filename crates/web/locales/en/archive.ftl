### Archive: files, disposal, scan import, text reading
### (English)

files-state-open = Open
files-state-closed = Closed
files-state-disposed = Disposed of
files-disposal = Disposal
files-commission = Disposal commission
files-recorded_by = Recorded by
files-tombstones = What was disposed of (kept for ever)
files-title = Archive files
files-open = Open files
files-transfer = Yearly transfer list
files-expired = Past their retention
files-none = No file in this list.
files-name = File
files-documents = Documents
files-retention = Retention (years / B)
files-disposal_code = Disposal code
files-state_archives = to the State Archives
files-close = Close the file
files-new = Open a new file
files-open_submit = Open
files-dispose = Dispose of the ticked files (commission decision)
files-decision_ref = Commission decision reference
files-decision_date = Decision date
files-members = Commission members (one per line, at least three)

import-title = Import scans into the archive
import-intro = Add scanned paper documents (PDF, TIFF, JPEG, PNG) to the archive under a Standard File Plan code. The same file is never added twice; their text is read in the background (OCR) and becomes searchable. For many files, on the server: mudurluk import scans DIR --sdp CODE --year YEAR
import-files = Files
import-file = File
import-outcome = Outcome
import-submit = Import
import-imported = Added to the archive
import-existing = Already in the archive (same content)
import-empty_file = Empty file (0 bytes): not added
import-not_a_scan = Not a scan (must be PDF, TIFF, JPEG or PNG): not added
import-too_large = Over the size limit: not added
import-source = Source file
import-open_file = Open the file

text-status = Text (for search)
text-pages = pages
text-queued = Queued: its text will be read
text-running = Being read
text-done = Read; searchable
text-partial = Partly read
text-failed = Could not be read
