// Reads a QR code from the phone's camera: the browser's BarcodeDetector when it has one, else
// jsQR (pure JS) on frames drawn from getUserMedia. jsQR is imported only here, on demand, so
// no other page carries it.

interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>
}
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike

export interface Scan {
  stop(): void
}

/** Whether this browser can give us the camera at all. */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia
}

/**
 * Starts the rear camera in `video` and calls `found` once with the first QR code's text.
 * Rejects when the camera is refused or missing. REQUIRES: `video` is in the page.
 */
export async function startScan(video: HTMLVideoElement, found: (text: string) => void): Promise<Scan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  video.srcObject = stream
  video.setAttribute('playsinline', 'true')
  await video.play()

  let stopped = false
  const stop = (): void => {
    stopped = true
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }

  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector
  let detect: () => Promise<string | null>
  if (Detector) {
    const detector = new Detector({ formats: ['qr_code'] })
    detect = async () => (await detector.detect(video))[0]?.rawValue ?? null
  } else {
    const { default: jsQR } = await import('jsqr')
    const canvas = document.createElement('canvas')
    const context = canvas.getContext('2d', { willReadFrequently: true })
    detect = async () => {
      if (!context || video.videoWidth === 0) return null
      // A smaller frame is read much faster and still holds a code that fills part of the view.
      const scale = Math.min(1, 640 / video.videoWidth)
      canvas.width = Math.round(video.videoWidth * scale)
      canvas.height = Math.round(video.videoHeight * scale)
      context.drawImage(video, 0, 0, canvas.width, canvas.height)
      const frame = context.getImageData(0, 0, canvas.width, canvas.height)
      return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null
    }
  }

  const tick = async (): Promise<void> => {
    if (stopped) return
    let text: string | null = null
    try {
      text = await detect()
    } catch {
      text = null
    }
    if (stopped) return
    if (text) {
      stop()
      found(text)
      return
    }
    requestAnimationFrame(() => void tick())
  }
  requestAnimationFrame(() => void tick())
  return { stop }
}
