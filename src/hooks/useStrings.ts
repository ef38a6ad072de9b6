import { stringsFor, type Strings } from '../i18n'
import { selectLanguage, useMeeting } from '../store'

/** The UI strings of the meeting's language. */
export function useStrings(): Strings {
  return stringsFor(useMeeting(selectLanguage))
}
